-- The overlay-service's own schema (quarkus.flyway.schemas=overlay creates it).

create table hosts (
    host_id          text primary key,
    revision         bigint not null,          -- newest HostHeartbeat/HostLeft revision applied
    underlay_address text,
    agent_version    text,
    last_heartbeat   timestamptz,              -- when this service received it (its own clock)
    up               boolean not null,
    mesh_revision    bigint not null default 0 -- revision of the last OverlayMesh published for the host
);

create table networks (
    network_id  text primary key,
    revision    bigint not null,
    removed     boolean not null default false,
    name        text,
    vni         integer unique,               -- null once removed: the VNI is free again
    subnet      text,
    gateway     text,
    mtu         integer,
    bridge_name text,
    vxlan_name  text,
    constraint vni_range check (vni is null or vni between 4096 and 16777215),
    constraint live_network_has_vni check (removed or vni is not null)
);

create table endpoints (
    endpoint_id text primary key,
    revision    bigint not null,
    removed     boolean not null default false,
    network_id  text,
    host_id     text,
    ip_address  text,                         -- without prefix length
    mac_address text
);
