-- Finding the lowest free address without reading every held one: per address space and
-- subnet a cursor below which every free address is listed in released_address. Allocation
-- takes the lowest released address, else advances the cursor past held and reserved ones.
CREATE TABLE address_cursor (
    network_id  text NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    host_scope  text NOT NULL,
    subnet      inet NOT NULL,
    next_unused inet NOT NULL,
    PRIMARY KEY (network_id, host_scope, subnet)
);

CREATE TABLE released_address (
    network_id text NOT NULL REFERENCES network (id) ON DELETE CASCADE,
    host_scope text NOT NULL,
    address    inet NOT NULL,
    PRIMARY KEY (network_id, host_scope, address)
);
