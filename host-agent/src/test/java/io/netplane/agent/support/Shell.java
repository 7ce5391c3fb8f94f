package io.netplane.agent.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the system's own tools (ip, bridge, ping, iptables-save) as an oracle for tests. */
public final class Shell {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Shell() {
    }

    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command that must succeed; returns its stdout. */
    public static String must(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + " failed (" + r.exit() + "): " + r.err() + r.out());
        }
        return r.out();
    }

    /** Runs an {@code ip -j}/{@code bridge -j} command and parses its JSON. */
    public static JsonNode json(String... command) {
        String out = must(command);
        try {
            return JSON.readTree(out.isBlank() ? "[]" : out);
        } catch (IOException e) {
            throw new AssertionError("not JSON from " + List.of(command) + ": " + out, e);
        }
    }

    /** One bounded ping from inside a named namespace. */
    public static boolean ping(String namespace, String address) {
        return run("ip", "netns", "exec", namespace, "ping", "-c", "3", "-i", "0.2", "-W", "3", address).ok();
    }
}
