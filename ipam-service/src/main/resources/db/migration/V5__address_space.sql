-- One row per address space (network, host scope). Every transaction that takes or frees an
-- address there locks the row and stamps it; the process that wrote the stamp still holding it
-- next time knows its in-memory copy of the space is current, any other rebuilds it from
-- endpoint first. The released list and cursor that kept lowest-free cheap in SQL go with it.
CREATE TABLE address_space (
    network_id text NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    host_scope text NOT NULL,
    stamp      uuid NOT NULL,
    PRIMARY KEY (network_id, host_scope)
);

DROP TABLE released_address;
DROP TABLE address_cursor;
