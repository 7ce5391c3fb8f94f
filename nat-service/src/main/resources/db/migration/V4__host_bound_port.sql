-- The ports each host's own processes hold, from its agent's latest heartbeat (HostHeartbeat.boundPorts):
-- a published port must not be one of them (Docker's docker-proxy could not bind it either).
create table host_bound_port (
    host_id text not null,
    protocol text not null,
    address text not null,
    port integer not null,
    primary key (host_id, protocol, address, port)
);
