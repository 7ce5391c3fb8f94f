package io.netplane.localcluster;

import io.netplane.events.kafka.KafkaIdentity;
import io.netplane.events.kafka.Scram;
import io.netplane.events.kafka.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real Kafka broker (KRaft, child JVM) and a real PostgreSQL (embedded binaries), each on free
 * loopback ports with data directories of their own, with every catalogue topic created.
 * Already running servers are used instead when {@code NETPLANE_KAFKA_BOOTSTRAP} /
 * {@code NETPLANE_JDBC_URL} (with {@code NETPLANE_JDBC_USER}, {@code NETPLANE_JDBC_PASSWORD}) are set.
 * With {@link KafkaSecurity#SCRAM_ACLS} the broker lets in only the identities of
 * {@link KafkaIdentity}, each allowed what its role says; {@link #kafkaClientConfig} gives a
 * client's settings for one of them.
 */
public final class LocalCluster implements AutoCloseable {

    public static final String ENV_KAFKA = "NETPLANE_KAFKA_BOOTSTRAP";
    public static final String ENV_JDBC_URL = "NETPLANE_JDBC_URL";
    public static final String ENV_JDBC_USER = "NETPLANE_JDBC_USER";
    public static final String ENV_JDBC_PASSWORD = "NETPLANE_JDBC_PASSWORD";

    private static LocalCluster shared;

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final KafkaBroker broker;
    private final KafkaSecurity security;
    /** Null unless the broker is secured. */
    private final KafkaPasswords passwords;
    private final BrokerUsers users;
    private final Postgres postgres;
    private final String kafkaBootstrap;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final StartupTimes startupTimes;

    /** How long each server took to come up, for the README and the closing notes. */
    public record StartupTimes(Duration kafka, Duration postgres) {
    }

    private LocalCluster(Path workDir, boolean ownsWorkDir, Map<String, String> env, KafkaSecurity security) {
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        this.security = security;
        long t0 = System.nanoTime();
        String externalKafka = env.get(ENV_KAFKA);
        if (externalKafka != null && !externalKafka.isBlank()) {
            if (security != KafkaSecurity.PLAINTEXT) {
                throw new IllegalArgumentException(ENV_KAFKA + " names a running broker, and local-cluster can only "
                        + "secure a broker it starts itself: unset " + ENV_KAFKA + " to use " + security);
            }
            passwords = null;
            broker = null;
            kafkaBootstrap = externalKafka;
        } else {
            passwords = security == KafkaSecurity.SCRAM_ACLS ? KafkaPasswords.in(workDir.resolve("kafka")) : null;
            broker = startBroker(workDir.resolve("kafka"), passwords);
            kafkaBootstrap = broker.bootstrap();
        }
        long t1 = System.nanoTime();
        String externalJdbc = env.get(ENV_JDBC_URL);
        if (externalJdbc != null && !externalJdbc.isBlank()) {
            postgres = null;
            jdbcUrl = externalJdbc;
            jdbcUser = env.getOrDefault(ENV_JDBC_USER, "postgres");
            jdbcPassword = env.getOrDefault(ENV_JDBC_PASSWORD, "");
        } else {
            postgres = Postgres.start(workDir.resolve("postgres"), Ports.free());
            jdbcUrl = postgres.jdbcUrl();
            jdbcUser = Postgres.USER;
            jdbcPassword = "";
        }
        long t2 = System.nanoTime();
        Topics.ensure(kafkaAdminConfig(), (short) 1); // one broker
        if (passwords != null) {
            users = new BrokerUsers(new HashMap<>(kafkaAdminConfig()), passwords);
            users.register(KafkaIdentity.fixed());
        } else {
            users = null;
        }
        startupTimes = new StartupTimes(Duration.ofNanos(t1 - t0), Duration.ofNanos(t2 - t1));
    }

    /** One cluster per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized LocalCluster shared() {
        if (shared == null) {
            shared = new LocalCluster(tempDir(), true, System.getenv(), KafkaSecurity.PLAINTEXT);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "local-cluster-shutdown"));
        }
        return shared;
    }

    /** A cluster of its own in {@code workDir}; its data survives a restart in the same directory. */
    public static LocalCluster start(Path workDir) {
        return start(workDir, System.getenv());
    }

    public static LocalCluster start(Path workDir, Map<String, String> env) {
        return start(workDir, env, KafkaSecurity.PLAINTEXT);
    }

    /** A cluster of its own whose broker lets clients in as {@code security} says. */
    public static LocalCluster start(Path workDir, KafkaSecurity security) {
        return start(workDir, System.getenv(), security);
    }

    public static LocalCluster start(Path workDir, Map<String, String> env, KafkaSecurity security) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalCluster(workDir, false, env, security);
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public KafkaSecurity kafkaSecurity() {
        return security;
    }

    /**
     * The Kafka client settings of {@code identity}: {@code bootstrap.servers}, and on a secured
     * broker {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} with
     * its password. An identity the broker does not know yet (a new host's agent) is registered
     * first, with the ACLs of its role.
     */
    public Map<String, String> kafkaClientConfig(KafkaIdentity identity) {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", kafkaBootstrap);
        if (passwords != null) {
            users.register(List.of(identity));
            config.putAll(identity.clientConfig(passwords.of(identity.name())));
        }
        return Map.copyOf(config);
    }

    /** The settings of the super user that creates topics, users and ACLs (just the bootstrap when not secured). */
    public Map<String, String> kafkaAdminConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("bootstrap.servers", kafkaBootstrap);
        if (passwords != null) {
            config.putAll(Scram.clientConfig(KafkaPasswords.ADMIN, passwords.of(KafkaPasswords.ADMIN)));
        }
        return Map.copyOf(config);
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    public Path workDir() {
        return workDir;
    }

    public StartupTimes startupTimes() {
        return startupTimes;
    }

    /** A plain (unpooled) DataSource on the cluster's database. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        ds.setUser(jdbcUser);
        ds.setPassword(jdbcPassword);
        return ds;
    }

    /** Stops the broker, keeping its port and data, to test riding out an outage. */
    public void stopKafka() {
        requireOwnBroker().stop();
    }

    /** Brings the stopped broker back on the same port with the same data. */
    public void startKafka() {
        requireOwnBroker().start();
    }

    /** Stops PostgreSQL (a fast shutdown: open sessions are cut), keeping its port and data. */
    public void stopPostgres() {
        requireOwnPostgres().stop();
    }

    /** Brings the stopped PostgreSQL back on the same port with the same data. */
    public void startPostgres() {
        requireOwnPostgres().start();
    }

    /** What a Quarkus application needs to reach both servers. */
    public Map<String, String> quarkusConfig() {
        return Map.of(
                "kafka.bootstrap.servers", kafkaBootstrap,
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", jdbcUser,
                "quarkus.datasource.password", jdbcPassword);
    }

    /**
     * The same for a service that connects to Kafka as {@code identity}: its client settings as
     * {@code kafka.*} properties, which SmallRye's Kafka channels read too.
     */
    public Map<String, String> quarkusConfig(KafkaIdentity identity) {
        Map<String, String> config = new HashMap<>(quarkusConfig());
        kafkaClientConfig(identity).forEach((key, value) -> config.put("kafka." + key, value));
        return Map.copyOf(config);
    }

    @Override
    public synchronized void close() {
        if (broker != null) {
            broker.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (ownsWorkDir) {
            Directories.deleteRecursively(workDir);
        }
    }

    private static KafkaBroker startBroker(Path dir, KafkaPasswords passwords) {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            // Free ports can be taken by another process before the broker binds them: retry on fresh ones.
            KafkaBroker b = new KafkaBroker(dir.resolve("attempt-" + attempt), Ports.free(), Ports.free(), passwords);
            try {
                b.start();
                return b;
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private KafkaBroker requireOwnBroker() {
        if (broker == null) {
            throw new IllegalStateException("Kafka is external (" + ENV_KAFKA + "); it cannot be stopped from here");
        }
        return broker;
    }

    private Postgres requireOwnPostgres() {
        if (postgres == null) {
            throw new IllegalStateException("PostgreSQL is external (" + ENV_JDBC_URL + "); it cannot be stopped from here");
        }
        return postgres;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("netplane-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
