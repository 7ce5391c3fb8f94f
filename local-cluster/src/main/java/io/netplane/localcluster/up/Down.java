package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./netplane down}: stops what a `netplane up` started (its own process first, whose
 * shutdown hook stops the rest), then anything still recorded: services, the PostgreSQL server.
 */
public final class Down {

    private Down() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        stopLeftovers(new Up.State(root.resolve(".netplane")));
        System.out.println("netplane: down");
    }

    static void stopLeftovers(Up.State state) {
        terminate(readPid(state.pidDir().resolve("up.pid")));
        if (Files.isDirectory(state.pidDir())) {
            try (Stream<Path> pids = Files.list(state.pidDir())) {
                pids.forEach(p -> terminate(readPid(p)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // An up killed with SIGKILL leaves its PostgreSQL postmaster (a daemon) behind.
        Path pgPid = state.clusterDir().resolve("postgres/pgdata/postmaster.pid");
        terminate(readPid(pgPid));
        Directories.deleteRecursively(state.pidDir());
        for (String host : List.of("h1", "h2")) {
            String netns = Up.HOSTS_PREFIX + "-" + host;
            DockerEngine.removeLeftovers(netns, state.dockerDir().resolve(netns));
            PodmanEngine.removeLeftovers(netns, state.podmanDir().resolve(host));
        }
        state.clearEnvironments();
        SimulatedHosts.removeLeftovers(Up.HOSTS_PREFIX, List.of("h1", "h2"));
    }

    private static long readPid(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void terminate(long pid) {
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroy();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }
}
