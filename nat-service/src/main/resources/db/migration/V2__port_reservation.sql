-- ipam-service reserves a container's host ports before it commits the container (so a taken port
-- fails the request itself); the reservation is the endpoint row with revision 0 and reserved_at
-- set. The endpoint's first event takes it over (reserved_at back to null); one never followed by
-- its event (ipam rolled back and could not say so) is dropped once it is older than the TTL.
alter table endpoint add column reserved_at timestamptz;
create index endpoint_reserved on endpoint (host_id, reserved_at) where reserved_at is not null;
