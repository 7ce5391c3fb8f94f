package io.netplane.nat.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test-only builder of network namespaces, veth pairs and bridges with {@code ip}, and runner of
 * commands inside them. Everything it made is removed by {@link #close()}.
 */
final class Namespaces implements AutoCloseable {

    record Result(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    private final String prefix;
    private final List<String> made = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private final Path webRoot;

    Namespaces(String prefix) throws IOException {
        this.prefix = prefix;
        this.webRoot = Files.createTempDirectory("nat-netns");
    }

    String name(String shortName) {
        return prefix + "-" + shortName;
    }

    void add(String shortName) throws IOException, InterruptedException {
        must("ip", "netns", "add", name(shortName));
        made.add(name(shortName));
        must("ip", "-n", name(shortName), "link", "set", "lo", "up");
    }

    /** Runs a command in the namespace and fails the test if it fails. */
    String in(String ns, String... command) throws IOException, InterruptedException {
        return must(inNs(ns, command));
    }

    Result tryIn(String ns, String... command) throws IOException, InterruptedException {
        return run(inNs(ns, command));
    }

    private String[] inNs(String ns, String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name(ns)));
        all.addAll(List.of(command));
        return all.toArray(String[]::new);
    }

    /** A veth pair from {@code hostNs} (device {@code hostDev}) into {@code otherNs} as {@code otherDev}. */
    void veth(String hostNs, String hostDev, String otherNs, String otherDev) throws IOException, InterruptedException {
        must("ip", "-n", name(hostNs), "link", "add", hostDev, "type", "veth", "peer", "name", otherDev, "netns",
                name(otherNs));
        must("ip", "-n", name(hostNs), "link", "set", hostDev, "up");
        must("ip", "-n", name(otherNs), "link", "set", otherDev, "up");
    }

    /** Starts an HTTP server on port 80 in {@code ns} whose page is its own name. */
    void httpServer(String ns) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(webRoot.resolve(ns));
        Files.writeString(dir.resolve("index.html"), ns + "\n", StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(inNs(ns, "python3", "-m", "http.server", "80", "--bind", "0.0.0.0",
                "--directory", dir.toString())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        servers.add(p);
        for (int attempt = 0; attempt < 100; attempt++) {
            if (fetch(ns, "127.0.0.1", 80).equals(ns)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("HTTP server in " + ns + " did not start");
    }

    /** The page {@code fromNs} gets from http://ip:port/, or "" if it cannot connect. */
    String fetch(String fromNs, String ip, int port) throws IOException, InterruptedException {
        Result r = tryIn(fromNs, "curl", "-s", "--max-time", "3", "http://" + ip + ":" + port + "/");
        return r.ok() ? r.out().trim() : "";
    }

    static String must(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.out());
        }
        return r.out();
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return runWithInput(null, command);
    }

    static Result runWithInput(String stdin, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + " (killed after 60 s)");
        }
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : servers) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        for (String ns : made) {
            run("ip", "netns", "del", ns);
        }
        try (var files = Files.walk(webRoot)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(f -> f.toFile().delete());
        }
    }
}
