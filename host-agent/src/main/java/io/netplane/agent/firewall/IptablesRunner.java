package io.netplane.agent.firewall;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs iptables tools inside a network namespace through {@code nsenter --net=PATH} (only the
 * network namespace changes), with an optional stdin payload and a timeout. It is called from
 * ordinary threads of the agent's own namespace, never from the namespace switcher.
 */
public final class IptablesRunner {

    private final long timeoutSeconds;

    public IptablesRunner(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public record Result(int exit, String out, String err) {
    }

    /** Runs the tool in the namespace at {@code netns} (null: the agent's own). */
    public Result run(Path netns, List<String> command, String stdin) {
        List<String> full = new ArrayList<>();
        if (netns != null) {
            full.add("nsenter");
            full.add("--net=" + netns);
            full.add("--");
        }
        full.addAll(command);
        try {
            Process p = new ProcessBuilder(full).start();
            FutureTask<String> out = drain(p.getInputStream());
            FutureTask<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new FirewallException(String.join(" ", full) + " timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (IOException e) {
            throw new FirewallException("cannot run " + String.join(" ", full) + ": " + e.getMessage());
        } catch (ExecutionException e) {
            throw new FirewallException("cannot read output of " + String.join(" ", full));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FirewallException("interrupted running " + String.join(" ", full));
        }
    }

    /**
     * Makes sure {@code table chain spec} is a rule in the namespace at {@code netns}: checked with
     * {@code -C}, added only when missing (first in the chain when {@code first}, else last), so it
     * is never there twice.
     */
    public void ensureRule(Path netns, String table, String chain, List<String> spec, boolean first) {
        List<String> check = new ArrayList<>(List.of("iptables", "-w", "-t", table, "-C", chain));
        check.addAll(spec);
        if (run(netns, check, null).exit() != 0) {
            List<String> add = new ArrayList<>(first ? List.of("iptables", "-w", "-t", table, "-I", chain, "1")
                    : List.of("iptables", "-w", "-t", table, "-A", chain));
            add.addAll(spec);
            must(netns, add, null);
        }
    }

    /** Runs and requires exit 0; returns stdout. */
    public String must(Path netns, List<String> command, String stdin) {
        Result r = run(netns, command, stdin);
        if (r.exit() != 0) {
            throw new FirewallException(String.join(" ", command) + " failed (exit " + r.exit() + "): " + r.err().strip());
        }
        return r.out();
    }

    /** Own threads rather than a shared pool: pool threads would inherit whatever namespace spawned them. */
    private static FutureTask<String> drain(java.io.InputStream in) {
        FutureTask<String> task = new FutureTask<>(() -> read(in));
        Thread t = new Thread(task, "iptables-output");
        t.setDaemon(true);
        t.start();
        return task;
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
