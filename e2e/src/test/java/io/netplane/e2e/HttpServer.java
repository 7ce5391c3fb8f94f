package io.netplane.e2e;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Python's http.server listening on a port inside a sandbox, as a web container would. */
final class HttpServer implements AutoCloseable {

    private final Process process;

    private HttpServer(Process process) {
        this.process = process;
    }

    static HttpServer in(String sandbox, int port) {
        try {
            return new HttpServer(new ProcessBuilder("ip", "netns", "exec", sandbox, "python3", "-m", "http.server",
                    Integer.toString(port), "--bind", "0.0.0.0").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a web server in " + sandbox, e);
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
