package io.netplane.bench.ipam;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the database's time goes during a run, without pg_stat_statements (the embedded server
 * has no contrib modules): samples pg_stat_activity every few milliseconds and counts, per
 * statement and wait, the client backends found active or idle in a transaction. A backend seen
 * "idle in transaction" is waiting for its client (the JVM) between statements.
 */
final class DatabaseSampler implements AutoCloseable {

    private final Map<String, Integer> samples = new HashMap<>();
    private final Thread thread;
    private volatile boolean stop;
    private int rounds;

    DatabaseSampler(Connection c) {
        thread = new Thread(() -> {
            try (Statement s = c.createStatement()) {
                while (!stop) {
                    try (ResultSet rs = s.executeQuery("SELECT state, coalesce(wait_event_type || ':' || wait_event,"
                            + " 'CPU'), left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_activity"
                            + " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                            + " AND state IN ('active', 'idle in transaction')")) {
                        while (rs.next()) {
                            samples.merge(rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3), 1,
                                    Integer::sum);
                        }
                    }
                    rounds++;
                    Thread.sleep(5);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        thread.start();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
    }

    /** The busiest entries, as the average number of backends so engaged at a sampled instant. */
    void print(String title, int top) {
        System.err.println("database time, " + title + " (" + rounds + " samples of pg_stat_activity;"
                + " backends on average: state | wait | statement):");
        samples.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.err.printf("  %6.2f  %s%n", e.getValue() / (double) rounds, e.getKey()));
    }
}
