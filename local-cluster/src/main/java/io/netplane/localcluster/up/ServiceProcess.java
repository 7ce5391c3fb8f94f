package io.netplane.localcluster.up;

import io.netplane.localcluster.ChildLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One netplane service (a Quarkus fast-jar) run as a child process, logging to a file. Public for
 * the tests that run a service's own built jar, e.g. two of them on one database, killed mid-stream.
 */
public final class ServiceProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String name;
    public final int httpPort;
    private final Path jar;
    private final Map<String, String> config;
    private final Map<String, String> secrets;
    private final Path log;
    private Process process;

    public ServiceProcess(String name, Path jar, int httpPort, Map<String, String> config, Path logDir) {
        this(name, jar, httpPort, config, Map.of(), logDir);
    }

    /** {@code config} goes on the command line as system properties; {@code secrets} into the environment. */
    public ServiceProcess(String name, Path jar, int httpPort, Map<String, String> config, Map<String, String> secrets,
            Path logDir) {
        this.name = name;
        this.jar = jar;
        this.httpPort = httpPort;
        this.config = config;
        this.secrets = secrets;
        this.log = logDir.resolve(name + ".log");
    }

    /** Where the build leaves {@code module}'s runnable jar under the repository {@code root}. */
    public static Path builtJar(Path root, String module) {
        return root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public boolean available() {
        return Files.isRegularFile(jar);
    }

    public long start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-Dquarkus.http.port=" + httpPort);
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        // Quarkus' own entry point, under the launcher that exits with us (the jar's manifest brings its libraries).
        cmd.add("-cp");
        cmd.add(jar + java.io.File.pathSeparator + ChildLauncher.location());
        cmd.add(ChildLauncher.class.getName());
        cmd.add("io.quarkus.bootstrap.runner.QuarkusEntryPoint");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            secrets.forEach((key, value) -> builder.environment().put(environmentName(key), value));
            process = builder.start();
            return process.pid();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The variable MicroProfile Config reads a property from: {@code kafka.sasl.jaas.config} is {@code KAFKA_SASL_JAAS_CONFIG}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** Waits for /q/health/ready; false if the process died or the time ran out. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(250);
        }
        return false;
    }

    /** As {@link #awaitReady}, throwing (and naming the log) if it does not become ready. */
    public void requireReady(Duration timeout) {
        if (!awaitReady(timeout)) {
            throw new IllegalStateException(name + " did not become ready; see " + log);
        }
    }

    public Path log() {
        return log;
    }

    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL, as a crash or an OOM kill would: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
