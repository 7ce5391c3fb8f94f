-- Whether the endpoint is its container's gateway endpoint (EndpointAllocated.gatewayEndpoint): the
-- way out and published ports of a Docker container on an overlay network, which has no gwbridge
-- endpoint, go through its overlay endpoint, so the host's firewall covers that overlay's bridge.
-- Rows written before: a gateway endpoint of a bridge or overlay network always had a port request
-- (its canonical text is never empty), any other endpoint the empty one.
alter table endpoint add column gateway_endpoint boolean not null default false;
update endpoint set gateway_endpoint = true where port_request <> '' and reserved_at is null;
