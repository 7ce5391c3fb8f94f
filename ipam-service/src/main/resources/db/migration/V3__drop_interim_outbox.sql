-- Events now go through messaging's outbox (table ipam.outbox, made by its Outbox bean).
DROP TABLE event_outbox;
