-- The mesh is published per network (OverlayNetworkMesh, keyed by network id), no longer per host.

create table network_meshes (
    network_id text primary key,
    revision   bigint not null     -- revision of the last OverlayNetworkMesh published; kept after removal
);

alter table hosts drop column mesh_revision;
