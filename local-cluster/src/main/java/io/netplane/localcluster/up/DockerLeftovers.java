package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a daemon of a namespace leaves behind: the daemon itself (by its pid file), its containerd,
 * shims and containers, its files, cgroups and data root. Stops the processes and removes the rest.
 */
final class DockerLeftovers {

    private static final Duration STOP = Duration.ofSeconds(40);

    private DockerLeftovers() {
    }

    static void stopRecorded(String netns) {
        Path pidFile = DockerPaths.pidFile(netns);
        readPid(pidFile).flatMap(ProcessHandle::of)
                .filter(p -> commandLine(p.pid()).contains(DockerPaths.apiSocket(netns).toString()))
                .ifPresent(DockerLeftovers::terminate);
        killLeftoverProcesses(netns);
    }

    /**
     * Kills what a daemon of {@code netns} may have left: its containerd and shims (their command
     * lines name the exec root, which no other process's does), and its containers (by cgroup).
     */
    static void killLeftoverProcesses(String netns) {
        String execRoot = DockerPaths.execRoot(netns) + "/";
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid() && commandLine(p.pid()).contains(execRoot))
                .forEach(p -> {
                    p.destroyForcibly();
                    await(p, Duration.ofSeconds(10));
                });
        for (Path cgroup : CgroupMounts.dirs(netns)) {
            for (Path procs : files(cgroup, "cgroup.procs")) {
                try {
                    for (String pid : Files.readAllLines(procs)) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(p -> {
                            p.destroyForcibly();
                            await(p, Duration.ofSeconds(10));
                        });
                    }
                } catch (IOException | NumberFormatException e) {
                    // the cgroup went away meanwhile
                }
            }
        }
    }

    static void removeFiles(String netns, Path dataRoot, boolean withPluginSocket) {
        removeDaemonFiles(netns, dataRoot);
        if (withPluginSocket) {
            Directories.deleteRecursively(DockerPaths.runDir(netns));
        }
        // The agent's plugin socket lives here too: otherwise the directory goes only once the agent has removed it.
        DockerPaths.runDir(netns).toFile().delete();
        DockerPaths.RUN.toFile().delete();
        DockerPaths.RUN.getParent().toFile().delete();
    }

    /** The daemon's own files, cgroups and data root; not the run directory, where the agent may be binding its socket. */
    static void removeDaemonFiles(String netns, Path dataRoot) {
        for (Path cgroup : CgroupMounts.dirs(netns)) {
            removeCgroup(cgroup);
            removeCgroup(cgroup.getParent()); // netplane-docker itself once no other host uses it
        }
        Directories.deleteRecursively(DockerPaths.execRoot(netns));
        try {
            Files.deleteIfExists(DockerPaths.apiSocket(netns));
            Files.deleteIfExists(DockerPaths.pidFile(netns));
        } catch (IOException e) {
            // best effort, as Directories does
        }
        Directories.deleteRecursively(DockerPaths.etcDir(netns));
        DockerPaths.etcDir(netns).getParent().toFile().delete(); // /etc/netns/NS, when nothing else is in it
        if (dataRoot != null) {
            Directories.deleteRecursively(dataRoot);
        }
    }

    /** A cgroup directory and those below it, deepest first (rmdir works on a cgroup with no processes). */
    private static void removeCgroup(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted(Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a cgroup still in use stays; the next removeLeftovers takes it
        }
    }

    private static List<Path> files(Path dir, String name) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> p.getFileName().toString().equals(name)).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    static void terminate(ProcessHandle p) {
        p.destroy();
        if (!await(p, STOP)) {
            p.destroyForcibly();
            await(p, Duration.ofSeconds(10));
        }
    }

    private static boolean await(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A process's arguments joined by spaces, or "" when it is gone or not readable. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
