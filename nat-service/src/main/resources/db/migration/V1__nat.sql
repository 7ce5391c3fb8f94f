-- Networks as nat-service needs them: the newest revision seen (a removal is remembered so a
-- stale creation cannot bring it back) and what the firewall of a host needs of a bridge.
create table network (
    network_id  text primary key,
    revision    bigint  not null,
    removed     boolean not null default false,
    name        text,
    driver      text,
    bridge      text,
    subnet      text,
    internal    boolean not null default false,
    icc         boolean not null default true,
    masquerade  boolean not null default true
);

-- Endpoints: the newest revision seen, where they live and, for gateway endpoints, the ports asked for.
create table endpoint (
    endpoint_id    text primary key,
    revision       bigint  not null,
    removed        boolean not null default false,
    host_id        text    not null,
    network_id     text    not null,
    container_id   text,
    container_name text,
    container_ip   text,
    port_request   text,
    error          text
);
create index endpoint_host on endpoint (host_id) where not removed;
create index endpoint_network on endpoint (network_id) where not removed;

-- Host ports in use. 0.0.0.0 against a specific address is checked under the host row's lock.
create table port_binding (
    host_id        text    not null,
    host_ip        text    not null,
    protocol       text    not null,
    host_port      integer not null,
    endpoint_id    text    not null,
    container_ip   text    not null,
    container_port integer not null,
    primary key (host_id, host_ip, protocol, host_port)
);
create index port_binding_endpoint on port_binding (endpoint_id);

-- Docker's per-range cursor: the last port handed out, so a released one is reused last.
create table port_cursor (
    host_id    text    not null,
    cursor_key text    not null,
    last_port  integer not null,
    primary key (host_id, cursor_key)
);

-- One row per host: the lock that serialises its allocations, and the last ruleset published.
create table host (
    host_id   text primary key,
    revision  bigint not null default 0,
    document  text
);
