-- Networks, their subnets, containers, endpoints and allocated addresses.
-- The database itself refuses overlapping subnets within an address space and a second holder
-- of one address, so no code path (or second service process) can break those rules.

CREATE TABLE network (
    id          text PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    driver      text NOT NULL,
    scope       text NOT NULL CHECK (scope IN ('local', 'global')),
    internal    boolean NOT NULL,
    attachable  boolean NOT NULL,
    enable_ipv6 boolean NOT NULL,
    predefined  boolean NOT NULL,
    options     jsonb NOT NULL,
    labels      jsonb NOT NULL,
    bridge_name text,
    mtu         integer NOT NULL,
    enable_icc  boolean NOT NULL,
    created     timestamptz NOT NULL,
    revision    bigint NOT NULL
);

CREATE TABLE subnet (
    network_id      text NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    address_space   text NOT NULL CHECK (address_space IN ('local', 'global')),
    subnet          inet NOT NULL,
    ip_range        inet,
    gateway         inet,
    aux_addresses   jsonb NOT NULL,
    user_configured boolean NOT NULL,
    PRIMARY KEY (network_id, subnet),
    CONSTRAINT subnet_no_overlap_local EXCLUDE USING gist (subnet inet_ops WITH &&) WHERE (address_space = 'local'),
    CONSTRAINT subnet_no_overlap_global EXCLUDE USING gist (subnet inet_ops WITH &&) WHERE (address_space = 'global')
);

CREATE TABLE container (
    id              text PRIMARY KEY,
    name            text NOT NULL,
    hostname        text NOT NULL,
    host_id         text NOT NULL,
    sandbox         text NOT NULL,
    sandbox_name    text,
    network_mode    text NOT NULL,
    ports           jsonb NOT NULL,
    exposed_ports   jsonb NOT NULL,
    publish_all     boolean NOT NULL,
    created         timestamptz NOT NULL,
    revision        bigint NOT NULL,
    CONSTRAINT container_name_unique_per_host UNIQUE (host_id, name)
);

-- host_scope is the host id for a local-scope network (each host has its own address space)
-- and '' for a global one (one address space for the cluster).
CREATE TABLE endpoint (
    id               text PRIMARY KEY,
    container_id     text NOT NULL REFERENCES container (id),
    network_id       text NOT NULL REFERENCES network (id),
    host_scope       text NOT NULL,
    name             text NOT NULL,
    interface_name   text,
    mac_address      text,
    ipv4_address     inet,
    aliases          jsonb NOT NULL,
    links            jsonb NOT NULL,
    dns_names        jsonb NOT NULL,
    gateway_endpoint boolean NOT NULL,
    gateway_bridge   boolean NOT NULL,
    revision         bigint NOT NULL,
    status           text,
    status_error     text,
    status_revision  bigint,
    CONSTRAINT endpoint_name_unique_per_network UNIQUE (network_id, host_scope, name),
    CONSTRAINT endpoint_one_per_network UNIQUE (container_id, network_id),
    CONSTRAINT endpoint_interface_unique UNIQUE (container_id, interface_name),
    -- one holder per address in an address space; gateway and auxiliary addresses are kept
    -- out by the allocator (they live in subnet), host/none endpoints have no address
    CONSTRAINT endpoint_address_unique UNIQUE (network_id, host_scope, ipv4_address)
);

-- Commands from the commands topic already applied, kept with the change they made.
CREATE TABLE processed_command (
    request_id text PRIMARY KEY,
    processed  timestamptz NOT NULL
);

-- Interim outbox (same append(Connection, event) contract as messaging's OutboxWriter).
CREATE TABLE event_outbox (
    id        bigserial PRIMARY KEY,
    topic     text NOT NULL,
    event_key text NOT NULL,
    type      text NOT NULL,
    payload   jsonb NOT NULL,
    created   timestamptz NOT NULL DEFAULT now()
);
