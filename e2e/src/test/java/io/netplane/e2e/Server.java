package io.netplane.e2e;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server process running inside a sandbox, as a container's main process would; stopped on close. */
final class Server implements AutoCloseable {

    private final Process process;

    private Server(Process process) {
        this.process = process;
    }

    /** Python's http.server on {@code port}, as a web container serves. */
    static Server http(String sandbox, int port) {
        return in(sandbox, "python3", "-m", "http.server", Integer.toString(port), "--bind", "0.0.0.0");
    }

    /** Debian's redis-server on {@code port}, in memory only. */
    static Server redis(String sandbox, int port) {
        return in(sandbox, "redis-server", "--port", Integer.toString(port), "--bind", "0.0.0.0",
                "--protected-mode", "no", "--save", "", "--appendonly", "no");
    }

    private static Server in(String sandbox, String... command) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", sandbox));
        argv.addAll(List.of(command));
        try {
            return new Server(new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command[0] + " in " + sandbox, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
