package io.netplane.localcluster.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Grafana dashboard compose provisions ({@code deploy/grafana/dashboards/netplane.json}), read
 * as its queries: every metric a panel names is written {@code name{job="<scrape job>", ...}}, so
 * each service's test can check that it exposes the metrics the dashboard expects of it.
 */
public final class Dashboard {

    /** The dashboard, from a module's directory (where tests run). */
    public static final Path FILE = Path.of("").toAbsolutePath().getParent()
            .resolve("deploy/grafana/dashboards/netplane.json");

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern JOB = Pattern.compile("(?:^|,)\\s*job\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern EXPOSED = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

    /** One metric a panel's query names, and the scrape job it is selected from (null when none is). */
    public record Use(String panel, String query, String metric, String job) {
    }

    private final List<Use> uses = new ArrayList<>();
    private final List<String> queries = new ArrayList<>();

    private Dashboard(JsonNode root) {
        for (JsonNode panel : root.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                queries.add(expr);
                Matcher m = SELECTOR.matcher(expr);
                while (m.find()) {
                    Matcher job = JOB.matcher(m.group(2));
                    uses.add(new Use(panel.path("title").asText(), expr, m.group(1), job.find() ? job.group(1) : null));
                }
            }
        }
    }

    public static Dashboard read() {
        try {
            return new Dashboard(new ObjectMapper().readTree(FILE.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Use> uses() {
        return List.copyOf(uses);
    }

    /** Every panel query, as written. */
    public List<String> queries() {
        return List.copyOf(queries);
    }

    /** The metrics the dashboard selects from {@code job}. */
    public Set<String> metricsOf(String job) {
        Set<String> names = new TreeSet<>();
        uses.stream().filter(u -> job.equals(u.job())).forEach(u -> names.add(u.metric()));
        return names;
    }

    /** The metric names a Prometheus text exposition (a scrape of /q/metrics) holds samples of. */
    public static Set<String> exposed(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#")).map(EXPOSED::matcher).filter(Matcher::find)
                .forEach(m -> names.add(m.group(1)));
        return names;
    }

    /** What is left of {@code query} once its selectors, grouping labels, ranges, numbers and strings are taken out. */
    public static Set<String> wordsOutsideSelectors(String query) {
        String rest = SELECTOR.matcher(query).replaceAll(" ")
                .replaceAll("(?:by|without)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\"[^\"]*\"", " ")
                .replaceAll("\\b\\d+(\\.\\d+)?\\b", " ");
        Set<String> words = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(rest);
        while (m.find()) {
            words.add(m.group());
        }
        return words;
    }
}
