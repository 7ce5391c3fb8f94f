package io.netplane.ipam.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.netplane.ipam.core.IpamException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * IPv4 pool meters per network: {@code netplane.ipam.pool.size} (addresses an endpoint can get:
 * the pools, or their ip-ranges, less network, broadcast, gateway and auxiliary addresses),
 * {@code netplane.ipam.pool.allocated} (endpoints holding one, on every host) and
 * {@code netplane.ipam.pool.utilisation} (allocated over size in the fullest address space: a
 * local network has one per host, and exhaustion happens in one of them), read from the
 * database every refresh interval; and {@code netplane.ipam.pool.exhausted}, connects refused
 * for want of an address.
 */
@ApplicationScoped
public class PoolMetrics {

    private static final Logger LOG = Logger.getLogger(PoolMetrics.class);
    /** EndpointOps' refusal, in Docker's words; the network's name follows, then its id in parentheses. */
    static final String EXHAUSTED = "no available IPv4 addresses on this network's address pools: ";
    private static final String POOLS = """
            WITH size AS (
                SELECT network_id, sum(2 ^ (32 - masklen(coalesce(ip_range, subnet)))
                        - CASE WHEN ip_range IS NULL AND masklen(subnet) < 31 THEN 2 ELSE 0 END
                        - CASE WHEN gateway IS NULL THEN 0 ELSE 1 END
                        - CASE jsonb_typeof(aux_addresses) WHEN 'object'
                            THEN (SELECT count(*) FROM jsonb_object_keys(aux_addresses)) ELSE 0 END) AS addresses
                FROM ipam.subnet WHERE family(subnet) = 4 GROUP BY network_id),
            used AS (
                SELECT network_id, host_scope, count(*) AS held FROM ipam.endpoint
                WHERE ipv4_address IS NOT NULL GROUP BY network_id, host_scope)
            SELECT n.name, size.addresses, coalesce(sum(used.held), 0) AS allocated,
                   coalesce(max(used.held), 0) AS fullest
            FROM ipam.network n JOIN size ON size.network_id = n.id LEFT JOIN used ON used.network_id = n.id
            GROUP BY n.name, size.addresses""";

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "netplane.ipam.pool-metrics-interval", defaultValue = "10s")
    Duration interval;

    private MultiGauge size;
    private MultiGauge allocated;
    private MultiGauge utilisation;
    private ScheduledExecutorService refresher;

    /** After IpamService has made the predefined networks. */
    void start(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 2000) StartupEvent event) {
        size = MultiGauge.builder("netplane.ipam.pool.size").description("IPv4 addresses endpoints can get")
                .register(registry);
        allocated = MultiGauge.builder("netplane.ipam.pool.allocated").description("IPv4 addresses held by endpoints")
                .register(registry);
        utilisation = MultiGauge.builder("netplane.ipam.pool.utilisation")
                .description("share of the fullest address space's pool held, 0 to 1").register(registry);
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipam-pool-metrics");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Counts {@code e} if it is a connect refused for want of an address. */
    void refused(RuntimeException e) {
        if (e instanceof IpamException && e.getMessage() != null && e.getMessage().startsWith(EXHAUSTED)) {
            String rest = e.getMessage().substring(EXHAUSTED.length());
            int id = rest.lastIndexOf(" (");
            registry.counter("netplane.ipam.pool.exhausted", "network", id < 0 ? rest : rest.substring(0, id))
                    .increment();
        }
    }

    private void refresh() {
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        List<MultiGauge.Row<?>> held = new ArrayList<>();
        List<MultiGauge.Row<?>> shares = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(POOLS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Tags network = Tags.of("network", rs.getString("name"));
                double addresses = rs.getDouble("addresses");
                sizes.add(MultiGauge.Row.of(network, addresses));
                held.add(MultiGauge.Row.of(network, rs.getDouble("allocated")));
                shares.add(MultiGauge.Row.of(network, addresses <= 0 ? 1 : rs.getDouble("fullest") / addresses));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("IPAM pool metrics not refreshed: %s", e.getMessage());
            return;
        }
        size.register(sizes, true);
        allocated.register(held, true);
        utilisation.register(shares, true);
    }
}
