package io.netplane.localcluster.up;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command for the local test bed (never for the product: the agent uses netlink). */
public final class Shell {

    private Shell() {
    }

    /** {@code errors}: what the command wrote on stderr when it was kept apart from {@code output}, else "". */
    public record Result(int exit, String output, String errors) {
        public Result(int exit, String output) {
            this(exit, output, "");
        }

        public boolean ok() {
            return exit == 0;
        }
    }

    public static Result run(String... command) {
        return run(List.of(command), 60);
    }

    /** The output goes to a file, not a pipe, so a command that fills a pipe cannot outlast the timeout. */
    public static Result run(List<String> command, int timeoutSeconds) {
        return run(command, Map.of(), timeoutSeconds);
    }

    /** As above, with {@code environment} changing the child's environment (a null value removes a variable). */
    public static Result run(List<String> command, Map<String, String> environment, int timeoutSeconds) {
        return run(command, environment, null, timeoutSeconds);
    }

    /**
     * As above, with {@code stdin} as the command's input; when it is given, stderr is kept apart in
     * {@link Result#errors} (a command such as a CNI plugin answers on stdout and logs on stderr).
     */
    public static Result run(List<String> command, Map<String, String> environment, byte[] stdin, int timeoutSeconds) {
        Path output = null;
        Path errors = null;
        Path input = null;
        Process p = null;
        try {
            output = Files.createTempFile("netplane-shell", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile());
            if (stdin == null) {
                builder.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            } else {
                errors = Files.createTempFile("netplane-shell", ".err");
                input = Files.createTempFile("netplane-shell", ".in");
                Files.write(input, stdin);
                builder.redirectError(errors.toFile()).redirectInput(input.toFile());
            }
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            p = builder.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8),
                    errors == null ? "" : new String(Files.readAllBytes(errors), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            for (Path temp : new Path[] {output, errors, input}) {
                if (temp != null) {
                    temp.toFile().delete();
                }
            }
        }
    }

    /** Runs and throws with the output if the command fails. */
    public static String must(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }

    /** The same command inside a named network namespace. */
    public static Result inNetns(String netns, int timeoutSeconds, String... command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(command));
        return run(cmd, timeoutSeconds);
    }
}
