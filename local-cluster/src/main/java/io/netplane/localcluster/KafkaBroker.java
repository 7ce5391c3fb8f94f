package io.netplane.localcluster;

import io.netplane.events.kafka.Scram;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker in a child JVM, on the Kafka jars from Maven Central (the
 * classpath the build wrote to kafka-broker.classpath). Its data directory survives
 * {@link #stop()} so {@link #start()} brings the same broker back on the same port.
 */
final class KafkaBroker {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    /** Null for a PLAINTEXT broker without ACLs. */
    private final KafkaPasswords passwords;
    private Process process;

    KafkaBroker(Path dir, int port, int controllerPort, KafkaPasswords passwords) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.passwords = passwords;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    Path logFile() {
        return dir.resolve("kafka.log");
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Path config = writeConfig();
            if (!Files.exists(dir.resolve("data/meta.properties"))) {
                List<String> format = new ArrayList<>(List.of("kafka.tools.StorageTool", "format", "-t", clusterId(),
                        "-c", config.toString(), "--ignore-formatted"));
                if (passwords != null) {
                    // KRaft keeps SCRAM credentials in the metadata log: the two super users are
                    // written at format time, so they exist before the broker first answers.
                    for (String user : List.of(KafkaPasswords.BROKER, KafkaPasswords.ADMIN)) {
                        format.addAll(List.of("--add-scram",
                                Scram.MECHANISM + "=[name=" + user + ",password=" + passwords.of(user) + "]"));
                    }
                }
                run(format, Duration.ofSeconds(60));
            }
            process = launch(List.of("kafka.Kafka", config.toString()));
            awaitListening();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + "; see " + logFile());
            }
            if (Ports.listening(port)) {
                return;
            }
            sleep(100);
        }
        stop();
        throw new IllegalStateException("Kafka broker did not listen on " + port + " within " + START_TIMEOUT
                + "; see " + logFile());
    }

    private Path writeConfig() throws IOException {
        Path log4j = dir.resolve("log4j.properties");
        Files.writeString(log4j, String.join("\n",
                "log4j.rootLogger=WARN, out",
                "log4j.logger.kafka=WARN",
                "log4j.logger.org.apache.kafka=WARN",
                "log4j.appender.out=org.apache.log4j.ConsoleAppender",
                "log4j.appender.out.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n", ""));
        Path config = dir.resolve("server.properties");
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER"));
        lines.addAll(passwords == null ? plaintextListeners() : scramListenersWithAcls());
        lines.addAll(List.of(
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=3",
                "auto.create.topics.enable=false",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.cleaner.backoff.ms=1000",
                "log.segment.bytes=16777216", ""));
        if (passwords != null && !Files.exists(config)) {
            // it holds the broker's password: owner-only before anything is written to it
            Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(config, String.join("\n", lines));
        return config;
    }

    private List<String> plaintextListeners() {
        return List.of(
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    }

    /**
     * Clients authenticate with SCRAM-SHA-512. The controller listener uses PLAIN with the
     * broker's password in this (owner-only) file: KRaft keeps SCRAM credentials in the metadata
     * log, which the controller serves, so it cannot check them there (KAFKA-15513).
     */
    private List<String> scramListenersWithAcls() {
        String brokerPassword = passwords.of(KafkaPasswords.BROKER);
        return List.of(
                "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                "inter.broker.listener.name=SASL_PLAINTEXT",
                "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms=" + Scram.MECHANISM,
                "sasl.mechanism.inter.broker.protocol=" + Scram.MECHANISM,
                "listener.name.sasl_plaintext." + Scram.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + KafkaPasswords.BROKER + "\" password=\"" + brokerPassword + "\";",
                "sasl.mechanism.controller.protocol=PLAIN",
                "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
                "listener.name.controller.plain.sasl.jaas.config="
                        + "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                        + KafkaPasswords.BROKER + "\" password=\"" + brokerPassword + "\" user_" + KafkaPasswords.BROKER
                        + "=\"" + brokerPassword + "\";",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found=false",
                "super.users=User:" + KafkaPasswords.BROKER + ";User:" + KafkaPasswords.ADMIN);
    }

    private String clusterId() throws IOException {
        Path idFile = dir.resolve("cluster.id");
        if (Files.exists(idFile)) {
            return Files.readString(idFile).trim();
        }
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
        Files.writeString(idFile, id);
        return id;
    }

    private void run(List<String> mainAndArgs, Duration timeout) throws IOException {
        Process p = launch(mainAndArgs);
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(mainAndArgs.get(0) + " failed; see " + logFile());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Process launch(List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlog4j.configuration=file:" + dir.resolve("log4j.properties"),
                "-cp", brokerClasspath(), ChildLauncher.class.getName()));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
        // stdin stays a pipe: ChildLauncher exits when it closes, i.e. when this JVM is gone.
        return pb.start();
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = KafkaBroker.class.getResourceAsStream("kafka-broker.classpath")) {
            if (in == null) {
                throw new IllegalStateException("kafka-broker.classpath missing: build local-cluster with ./mvnw");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return ChildLauncher.location() + File.pathSeparator + jars;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
