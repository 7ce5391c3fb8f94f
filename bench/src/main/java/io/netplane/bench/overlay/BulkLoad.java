package io.netplane.bench.overlay;

import io.netplane.overlay.model.EndpointEntry;
import io.netplane.overlay.model.HostEntry;
import io.netplane.overlay.model.NetworkEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/** Fills the overlay schema with a dataset in batches (the service writes row by row, as events come). */
final class BulkLoad {

    private BulkLoad() {
    }

    static void load(Connection c, String schema, Dataset d) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".hosts (host_id, revision,"
                + " underlay_address, agent_version, last_heartbeat, up, mesh_revision) values (?,?,?,?,?,true,?)")) {
            for (HostEntry h : d.hostEntries()) {
                st.setString(1, h.hostId());
                st.setLong(2, h.revision());
                st.setString(3, h.underlayAddress());
                st.setString(4, h.agentVersion());
                st.setTimestamp(5, Timestamp.from(h.lastHeartbeat()));
                st.setLong(6, h.meshRevision());
                st.addBatch();
            }
            st.executeBatch();
        }
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".networks (network_id, revision,"
                + " name, vni, subnet, gateway, mtu, bridge_name, vxlan_name) values (?,?,?,?,?,?,?,?,?)")) {
            for (NetworkEntry n : d.networkEntries()) {
                st.setString(1, n.networkId());
                st.setLong(2, n.revision());
                st.setString(3, n.name());
                st.setInt(4, n.vni());
                st.setString(5, n.subnet());
                st.setString(6, n.gateway());
                st.setInt(7, n.mtu());
                st.setString(8, n.bridgeName());
                st.setString(9, n.vxlanName());
                st.addBatch();
            }
            st.executeBatch();
        }
        try (PreparedStatement st = c.prepareStatement("insert into " + schema + ".endpoints (endpoint_id, revision,"
                + " network_id, host_id, ip_address, mac_address) values (?,?,?,?,?,?)")) {
            int batch = 0;
            for (EndpointEntry e : d.endpointEntries()) {
                st.setString(1, e.endpointId());
                st.setLong(2, e.revision());
                st.setString(3, e.networkId());
                st.setString(4, e.hostId());
                st.setString(5, e.ipAddress());
                st.setString(6, e.macAddress());
                st.addBatch();
                if (++batch % 2000 == 0) {
                    st.executeBatch();
                }
            }
            st.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
    }
}
