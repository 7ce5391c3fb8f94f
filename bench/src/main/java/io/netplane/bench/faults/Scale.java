package io.netplane.bench.faults;

import java.time.Duration;

/**
 * How hard and how long the faults push: concurrent clients, load before and after each fault,
 * how long the broker and the database stay down, and how many names dns-service must answer.
 */
record Scale(int clients, Duration before, Duration after, Duration brokerOutage, Duration postgresDown,
        int dnsContainers) {

    /** bench/faults/run.sh: the figures (64 clients, a 30 s broker outage). */
    static final Scale FULL = new Scale(64, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(30),
            Duration.ofSeconds(10), 1000);

    /** The version `./mvnw verify` runs: small load, a few seconds' outage. */
    static final Scale CI = new Scale(8, Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(3), 30);

    Scale withBrokerOutage(Duration outage) {
        return new Scale(clients, before, after, outage, postgresDown, dnsContainers);
    }
}
