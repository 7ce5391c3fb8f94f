package io.netplane.overlay.store;

import io.netplane.overlay.model.EndpointEntry;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.MeshModel;
import io.netplane.overlay.model.NetworkEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The overlay schema in PostgreSQL (tables made by Flyway, db/overlay/V1__overlay.sql). Every write runs
 * in the caller's connection and transaction, next to the outbox rows of the same change.
 * Removed networks and endpoints stay as tombstones holding their newest revision; a removed
 * network gives its VNI back (vni set to null; the column is unique).
 */
public final class OverlayStore {

    /**
     * Where the migrations live: a folder of this module's own, since the bench and e2e put every
     * service on one classpath and Flyway's default db/migration would mix their V1 scripts.
     */
    public static final String MIGRATIONS = "classpath:db/overlay";

    private final String schema;

    public OverlayStore(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("schema name must be a plain lower-case identifier: " + schema);
        }
        this.schema = schema;
    }

    /** Reads the whole overlay state into a fresh model. */
    public MeshModel load(Connection c) throws SQLException {
        MeshModel model = new MeshModel();
        try (PreparedStatement st = c.prepareStatement("select host_id, revision, underlay_address, agent_version,"
                + " last_heartbeat, up from " + schema + ".hosts"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                Timestamp hb = rs.getTimestamp(5);
                model.putHost(new HostEntry(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        hb == null ? null : hb.toInstant(), rs.getBoolean(6)));
            }
        }
        try (PreparedStatement st = c.prepareStatement("select network_id, revision from " + schema
                + ".network_meshes"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                model.putMeshRevision(rs.getString(1), rs.getLong(2));
            }
        }
        try (PreparedStatement st = c.prepareStatement("select network_id, revision, removed, name, vni, subnet,"
                + " gateway, mtu, bridge_name, vxlan_name from " + schema + ".networks");
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(3)) {
                    model.removeNetwork(rs.getString(1), rs.getLong(2));
                } else {
                    model.putNetwork(new NetworkEntry(rs.getString(1), rs.getLong(2), rs.getString(4), rs.getInt(5),
                            rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getString(10)));
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("select endpoint_id, revision, removed, network_id, host_id,"
                + " ip_address, mac_address from " + schema + ".endpoints"); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (rs.getBoolean(3)) {
                    model.removeEndpoint(rs.getString(1), rs.getLong(2));
                } else {
                    model.putEndpoint(new EndpointEntry(rs.getString(1), rs.getLong(2), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        }
        return model;
    }

    public void saveHost(Connection c, HostEntry h) throws SQLException {
        saveHosts(c, List.of(h));
    }

    /** Inserts or updates hosts, in batches. */
    public void saveHosts(Connection c, Collection<HostEntry> hosts) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".hosts (host_id, revision,"
                + " underlay_address, agent_version, last_heartbeat, up) values (?,?,?,?,?,?)"
                + " on conflict (host_id) do update set revision = excluded.revision,"
                + " underlay_address = excluded.underlay_address, agent_version = excluded.agent_version,"
                + " last_heartbeat = excluded.last_heartbeat, up = excluded.up")) {
            Batch batch = new Batch(st);
            for (HostEntry h : hosts) {
                st.setString(1, h.hostId());
                st.setLong(2, h.revision());
                st.setString(3, h.underlayAddress());
                st.setString(4, h.agentVersion());
                st.setTimestamp(5, h.lastHeartbeat() == null ? null : Timestamp.from(h.lastHeartbeat()));
                st.setBoolean(6, h.up());
                batch.add();
            }
            batch.flush();
        }
    }

    /** Records the revisions of the network records just published (network id to revision), in one batch. */
    public void saveMeshRevisions(Connection c, Map<String, Long> revisions) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".network_meshes (network_id,"
                + " revision) values (?,?) on conflict (network_id) do update set revision = excluded.revision")) {
            for (Map.Entry<String, Long> r : revisions.entrySet()) {
                st.setString(1, r.getKey());
                st.setLong(2, r.getValue());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    public void saveNetwork(Connection c, NetworkEntry n) throws SQLException {
        saveNetworks(c, List.of(n));
    }

    /** Inserts or updates networks, in batches. */
    public void saveNetworks(Connection c, Collection<NetworkEntry> networks) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".networks (network_id, revision,"
                + " removed, name, vni, subnet, gateway, mtu, bridge_name, vxlan_name)"
                + " values (?,?,false,?,?,?,?,?,?,?) on conflict (network_id) do update set"
                + " revision = excluded.revision, removed = false, name = excluded.name, vni = excluded.vni,"
                + " subnet = excluded.subnet, gateway = excluded.gateway, mtu = excluded.mtu,"
                + " bridge_name = excluded.bridge_name, vxlan_name = excluded.vxlan_name")) {
            Batch batch = new Batch(st);
            for (NetworkEntry n : networks) {
                st.setString(1, n.networkId());
                st.setLong(2, n.revision());
                st.setString(3, n.name());
                st.setInt(4, n.vni());
                st.setString(5, n.subnet());
                st.setString(6, n.gateway());
                st.setInt(7, n.mtu());
                st.setString(8, n.bridgeName());
                st.setString(9, n.vxlanName());
                batch.add();
            }
            batch.flush();
        }
    }

    /** Tombstones a network and frees its VNI. */
    public void removeNetwork(Connection c, String networkId, long revision) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".networks (network_id, revision,"
                + " removed) values (?,?,true) on conflict (network_id) do update set revision = excluded.revision,"
                + " removed = true, vni = null")) {
            st.setString(1, networkId);
            st.setLong(2, revision);
            st.executeUpdate();
        }
    }

    public void saveEndpoint(Connection c, EndpointEntry e) throws SQLException {
        saveEndpoints(c, List.of(e));
    }

    /** Inserts or updates endpoints, in batches. */
    public void saveEndpoints(Connection c, Collection<EndpointEntry> endpoints) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".endpoints (endpoint_id, revision,"
                + " removed, network_id, host_id, ip_address, mac_address) values (?,?,false,?,?,?,?)"
                + " on conflict (endpoint_id) do update set revision = excluded.revision, removed = false,"
                + " network_id = excluded.network_id, host_id = excluded.host_id,"
                + " ip_address = excluded.ip_address, mac_address = excluded.mac_address")) {
            Batch batch = new Batch(st);
            for (EndpointEntry e : endpoints) {
                st.setString(1, e.endpointId());
                st.setLong(2, e.revision());
                st.setString(3, e.networkId());
                st.setString(4, e.hostId());
                st.setString(5, e.ipAddress());
                st.setString(6, e.macAddress());
                batch.add();
            }
            batch.flush();
        }
    }

    public void removeEndpoint(Connection c, String endpointId, long revision) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".endpoints (endpoint_id, revision,"
                + " removed) values (?,?,true) on conflict (endpoint_id) do update set revision = excluded.revision,"
                + " removed = true, network_id = null, host_id = null, ip_address = null, mac_address = null")) {
            st.setString(1, endpointId);
            st.setLong(2, revision);
            st.executeUpdate();
        }
    }


    /** One row at a time runs it at once; many rows go in batches of {@value #SIZE}. */
    private static final class Batch {
        private static final int SIZE = 2000;
        private final PreparedStatement statement;
        private int pending;

        Batch(PreparedStatement statement) {
            this.statement = statement;
        }

        void add() throws SQLException {
            statement.addBatch();
            if (++pending == SIZE) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (pending > 0) {
                statement.executeBatch();
                pending = 0;
            }
        }
    }
}
