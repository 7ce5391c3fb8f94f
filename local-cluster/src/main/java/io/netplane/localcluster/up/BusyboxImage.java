package io.netplane.localcluster.up;

import io.netplane.localcluster.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The image {@value DockerEngine#BUSYBOX_IMAGE}, built from this machine's /bin/busybox, and images
 * of busybox plus other programs of this machine (no registry is reachable), imported into a
 * container engine (dockerd, podman) through its CLI, whose {@code image inspect} and
 * {@code import} take the same arguments.
 */
final class BusyboxImage {

    /** An engine's CLI: runs it with these arguments. */
    interface Cli {
        Shell.Result run(String... args);
    }

    private static final Pattern APPLET = Pattern.compile("[A-Za-z0-9_\\[\\]][A-Za-z0-9_.\\[\\]-]*");

    private BusyboxImage() {
    }

    /** Imports {@value DockerEngine#BUSYBOX_IMAGE} (also known as busybox) from /bin/busybox with every applet linked in /bin. */
    static void ensure(Cli engine, String where) {
        ensure(engine, where, DockerEngine.BUSYBOX_IMAGE, List.of());
    }

    /**
     * Imports {@code image}: busybox as above plus this machine's {@code programs}, each at its own
     * path with the shared libraries {@code ldd} names (a symlink is copied as the file it names, so
     * a program that reads its name from argv[0] keeps it), when the engine has no such image yet.
     */
    static void ensure(Cli engine, String where, String image, List<Path> programs) {
        if (engine.run("image", "inspect", image).ok()) {
            return;
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("netplane-busybox");
            Path rootfs = Files.createDirectories(dir.resolve("rootfs"));
            Path bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(DockerEngine.BUSYBOX, bin.resolve("busybox"), StandardCopyOption.COPY_ATTRIBUTES);
            for (String applet : Shell.must(DockerEngine.BUSYBOX.toString(), "--list").split("\n")) {
                String name = applet.trim();
                if (name.isEmpty() || name.equals("busybox")) {
                    continue;
                }
                if (!APPLET.matcher(name).matches() || name.equals(".") || name.equals("..")) {
                    throw new IllegalStateException("unexpected busybox applet name: " + name);
                }
                Files.createSymbolicLink(bin.resolve(name), Path.of("busybox"));
            }
            for (String d : List.of("etc", "root", "proc", "sys", "dev", "var/log", "home", "usr/bin")) {
                Files.createDirectories(rootfs.resolve(d));
            }
            Path tmp = Files.createDirectories(rootfs.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n"
                    + "nobody:x:65534:65534:nobody:/home:/bin/false\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nnogroup:x:65534:\n");
            for (Path program : programs) {
                copyWithLibraries(program, rootfs);
            }
            Path tar = dir.resolve("image.tar");
            Shell.must("tar", "-C", rootfs.toString(), "--numeric-owner", "--owner=0", "--group=0", "-cf",
                    tar.toString(), ".");
            Shell.Result imported = engine.run("import", "-c", "CMD [\"sh\"]", "-m", "netplane: /bin/busybox of "
                    + "busybox-static" + (programs.isEmpty() ? "" : " and this machine's " + programs), tar.toString(), image);
            if (!imported.ok()) {
                throw new IllegalStateException("import of " + image + " into " + where + " failed: "
                        + imported.output());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                Directories.deleteRecursively(dir);
            }
        }
    }

    private static void copyWithLibraries(Path program, Path rootfs) throws IOException {
        List<Path> files = new java.util.ArrayList<>(List.of(program));
        for (String line : Shell.must("ldd", program.toString()).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            String path = parts.length >= 3 && "=>".equals(parts[1]) ? parts[2] : parts[0];
            if (path.startsWith("/")) {
                files.add(Path.of(path));
            }
        }
        for (Path file : files) {
            Path target = rootfs.resolve(file.toString().substring(1));
            Files.createDirectories(target.getParent());
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES); // follows a symlink
        }
    }
}
