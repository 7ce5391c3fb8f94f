package io.netplane.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * nat-service's golden rulesets (nat-service/src/test/resources/golden), read where they are so
 * the agent is tested against what nat-service really writes: each file is the document, then a
 * "# chains" and a "# jumps" section.
 */
public final class GoldenRulesets {

    private static final Path DIR = Path.of("../nat-service/src/test/resources/golden");
    private static final String CHAINS = "# chains\n";
    private static final String JUMPS = "# jumps\n";

    private GoldenRulesets() {
    }

    public record Golden(String name, String document, List<String> jumps) {
        @Override
        public String toString() {
            return name;
        }
    }

    public static List<Golden> all() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".rules")).sorted().map(GoldenRulesets::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Golden named(String name) {
        return read(DIR.resolve(name + ".rules"));
    }

    private static Golden read(Path file) {
        try {
            String text = Files.readString(file);
            String name = file.getFileName().toString().replace(".rules", "");
            return new Golden(name, text.substring(0, text.indexOf(CHAINS)),
                    text.substring(text.indexOf(JUMPS) + JUMPS.length()).lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
