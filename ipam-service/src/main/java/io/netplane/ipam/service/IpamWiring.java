package io.netplane.ipam.service;

import io.netplane.ipam.address.Cidr;
import io.netplane.ipam.address.DefaultPools;
import io.netplane.ipam.address.Ipv4;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.codec.TraceParent;
import io.netplane.ipam.core.Attachments;
import io.netplane.ipam.core.Ipam;
import io.netplane.ipam.core.IpamSettings;
import io.netplane.ipam.outbox.EventSink;
import io.netplane.messaging.quarkus.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds the operations from configuration (netplane.ipam.*). */
@ApplicationScoped
public class IpamWiring {

    private final Ipam ipam;
    private final Attachments attachments;

    public IpamWiring(
            @ConfigProperty(name = "netplane.ipam.default-bridge.subnet", defaultValue = "172.17.0.0/16") String subnet,
            @ConfigProperty(name = "netplane.ipam.default-bridge.gateway", defaultValue = "172.17.0.1") String gateway,
            @ConfigProperty(name = "netplane.ipam.default-bridge.device", defaultValue = "netplane0") String device,
            @ConfigProperty(name = "netplane.ipam.local-pools") Optional<List<String>> localPools,
            @ConfigProperty(name = "netplane.ipam.global-pools") Optional<List<String>> globalPools,
            Outbox outbox, DataSource dataSource, NatPortReservations ports) {
        Cidr bridgeSubnet = Cidr.parse(subnet);
        Long bridgeGateway = Ipv4.parse(gateway);
        if (bridgeSubnet == null || !bridgeSubnet.isCanonical() || bridgeGateway == null
                || !bridgeSubnet.contains(bridgeGateway)) {
            throw new IllegalArgumentException("netplane.ipam.default-bridge: subnet " + subnet
                    + " must be canonical IPv4 CIDR and contain gateway " + gateway);
        }
        IpamSettings settings = new IpamSettings(
                localPools.map(IpamWiring::pools).orElse(DefaultPools.LOCAL),
                globalPools.map(IpamWiring::pools).orElse(DefaultPools.GLOBAL),
                bridgeSubnet, bridgeGateway, device);
        // Outbox.publish joins the current JTA transaction, the one the connection passed here belongs to.
        this.ipam = new Ipam(settings, new EventSink() {
            @Override
            public void append(Connection tx, NetplaneEvent event) {
                outbox.publish(event);
            }

            @Override
            public void appendAll(Connection tx, List<NetplaneEvent> events, List<TraceParent> traces) {
                outbox.publishAll(events, traces);
            }
        }, ports);
        this.attachments = new Attachments(ipam, new JtaTransactions(dataSource));
    }

    /** connect and disconnect, group-committed per address space. */
    public Attachments attachments() {
        return attachments;
    }

    public Ipam ipam() {
        return ipam;
    }

    private static List<DefaultPools.Pool> pools(List<String> texts) {
        return texts.stream().map(DefaultPools.Pool::parse).toList();
    }
}
