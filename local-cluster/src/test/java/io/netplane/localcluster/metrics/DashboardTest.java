package io.netplane.localcluster.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as compose provisions it: every metric a panel names is selected from a job
 * Prometheus scrapes, so the test of that job's service checks it is really exposed (see
 * {@code DashboardMetricsTest} in each service); no query names a metric any other way.
 */
class DashboardTest {

    private static final Path ROOT = Dashboard.FILE.getParent().getParent().getParent().getParent();
    private static final Set<String> PROMQL = Set.of("sum", "max", "min", "avg", "count", "rate", "increase",
            "histogram_quantile");

    @Test
    void everyMetricIsSelectedFromAJobPrometheusScrapes() throws IOException {
        String prometheus = Files.readString(ROOT.resolve("deploy/prometheus/prometheus.yml"));
        Set<String> jobs = new TreeSet<>();
        Pattern.compile("job_name:\\s*(\\S+)").matcher(prometheus).results().forEach(m -> jobs.add(m.group(1)));
        assertThat(jobs).containsExactlyInAnyOrder("ipam-service", "dns-service", "nat-service", "overlay-service",
                "host-agent");

        Dashboard dashboard = Dashboard.read();
        assertThat(dashboard.uses()).isNotEmpty().allSatisfy(u -> assertThat(u.job()).as("%s in %s", u.metric(), u.query())
                .isIn(jobs));
        for (String job : jobs) {
            assertThat(dashboard.metricsOf(job)).as("metrics the dashboard shows of %s", job).isNotEmpty();
        }
    }

    @Test
    void noQueryNamesAMetricOutsideASelector() {
        for (String query : Dashboard.read().queries()) {
            assertThat(Dashboard.wordsOutsideSelectors(query)).as(query).isSubsetOf(PROMQL);
        }
        assertThat(Dashboard.wordsOutsideSelectors("sum(rate(some_metric[5m]))")).contains("some_metric");
    }

    @Test
    void composeProvisionsTheDashboardAndPrometheusItsQueriesUse() throws IOException {
        String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(compose).contains("./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./deploy/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        assertThat(Files.readString(ROOT.resolve("deploy/grafana/provisioning/dashboards/netplane.yml")))
                .contains("path: /var/lib/grafana/dashboards");
        String datasource = Files.readString(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml"));
        assertThat(datasource).contains("uid: prometheus", "url: http://127.0.0.1:9090");
        assertThat(compose).contains("--web.listen-address=127.0.0.1:9090");
        assertThat(Files.readString(Dashboard.FILE)).contains("\"uid\": \"prometheus\"").doesNotContain("\"uid\": \"${");
    }

    @Test
    void exposedNamesAreTheSampleNamesOfAScrape() {
        String scrape = """
                # HELP netplane_dns_queries_total DNS messages received
                # TYPE netplane_dns_queries_total counter
                netplane_dns_queries_total{transport="udp"} 3.0
                process_uptime_seconds 12.5
                """;
        assertThat(Dashboard.exposed(scrape)).containsExactlyInAnyOrder("netplane_dns_queries_total",
                "process_uptime_seconds");
    }
}
