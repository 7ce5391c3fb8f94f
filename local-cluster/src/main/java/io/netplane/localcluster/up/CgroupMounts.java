package io.netplane.localcluster.up;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The cgroup hierarchies this machine has mounted, as dockerd's private mount namespace mounts them again. */
final class CgroupMounts {

    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final Pattern CGROUP_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_,.=-]*");
    private static final Pattern CGROUP_OPTIONS = Pattern.compile("[A-Za-z0-9_=,.]+");
    private static final Pattern CGROUP_PATH = Pattern.compile("/sys/fs/cgroup(/[A-Za-z0-9_=,.-]+)*");

    private CgroupMounts() {
    }


    /**
     * The cgroup file systems as this machine has them under /sys/fs/cgroup (a tmpfs with v1
     * hierarchies, a v2 unified hierarchy, or both), read from /proc/self/mountinfo, as steps for
     * DockerEngine's launch script. Mounting a v1 hierarchy with the same options joins the existing one, so
     * containers' cgroups are this machine's.
     */
    static List<String> steps() {
        List<String> steps = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] halves = line.split(" - ", 2);
            String[] fields = halves[0].split(" ");
            if (halves.length < 2 || fields.length < 5) {
                continue;
            }
            String mountPoint = fields[4];
            String[] fs = halves[1].split(" ");
            if (!mountPoint.equals(CGROUP_ROOT.toString()) && !mountPoint.startsWith(CGROUP_ROOT + "/")) {
                continue;
            }
            if (!CGROUP_PATH.matcher(mountPoint).matches()) {
                throw new IllegalStateException("unexpected cgroup mount point " + mountPoint);
            }
            switch (fs[0]) {
                case "tmpfs" -> steps.addAll(List.of("tmpfs", mountPoint));
                case "cgroup2" -> steps.addAll(List.of("cgroup2", mountPoint));
                case "cgroup" -> {
                    String options = Stream.of(fs.length > 2 ? fs[2].split(",") : new String[0])
                            .filter(o -> !o.equals("rw") && !o.equals("ro")).reduce((a, b) -> a + "," + b)
                            .orElseThrow(() -> new IllegalStateException("cgroup mount without options: " + line));
                    if (!CGROUP_OPTIONS.matcher(options).matches()) {
                        throw new IllegalStateException("unexpected cgroup options " + options);
                    }
                    steps.addAll(List.of("cgroup", options, mountPoint));
                }
                default -> {
                    // other file systems below /sys/fs/cgroup are not dockerd's business
                }
            }
        }
        // Links beside the hierarchies on a tmpfs (cpu -> cpu,cpuacct): made again on the private tmpfs.
        if (steps.size() >= 2 && steps.get(0).equals("tmpfs")) {
            File[] entries = CGROUP_ROOT.toFile().listFiles();
            for (File f : entries == null ? new File[0] : entries) {
                if (Files.isSymbolicLink(f.toPath())) {
                    try {
                        String target = Files.readSymbolicLink(f.toPath()).toString();
                        if (CGROUP_NAME.matcher(target).matches() && CGROUP_NAME.matcher(f.getName()).matches()) {
                            steps.addAll(List.of("link", target, f.getPath()));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return steps;
    }

    /** {@code <hierarchy>/netplane-docker/NS} in every cgroup hierarchy this machine has mounted. */
    static List<Path> dirs(String netns) {
        List<Path> dirs = new ArrayList<>();
        List<String> steps = steps();
        for (int i = 0; i < steps.size(); i++) {
            switch (steps.get(i)) {
                case "cgroup2" -> dirs.add(Path.of(steps.get(++i) + DockerPaths.cgroupParent(netns)));
                case "cgroup" -> {
                    i++;
                    dirs.add(Path.of(steps.get(++i) + DockerPaths.cgroupParent(netns)));
                }
                case "link" -> i += 2;
                default -> i++;
            }
        }
        return dirs;
    }
}
