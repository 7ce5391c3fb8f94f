package io.netplane.localcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing what the local tooling wrote to disk. */
public final class Directories {

    private Directories() {
    }

    /**
     * Deletes {@code dir} and everything below it; a missing directory is fine. Best effort: a
     * file that vanishes meanwhile (a server still shutting down) does not stop the rest.
     */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left of a temporary directory is harmless
        }
    }
}
