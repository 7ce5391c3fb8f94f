package io.netplane.agent.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * DELs the runtime made while the agent was down: netplane-cni writes each (its request, as it
 * would have sent it) to {@code <socket dir>/cni-del/<container>-<ifname>.json} and tells the runtime
 * it succeeded, as the spec wants of a DEL. This drains them when the agent is back, and again every
 * few seconds while ipam-service cannot be reached; a file is removed once its DEL is done or
 * refused for good.
 */
public final class DeferredDeletes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DeferredDeletes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_FILE = 2L << 20;
    static final long RETRY_SECONDS = 5;

    private final Path dir;
    private final CniPlugin plugin;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cni-deferred-del");
        t.setDaemon(true);
        return t;
    });

    public DeferredDeletes(Path dir, CniPlugin plugin) {
        this.dir = dir;
        this.plugin = plugin;
    }

    /** The directory netplane-cni spools to, beside the agent's socket. */
    public static Path besides(Path socket) {
        return socket.toAbsolutePath().getParent().resolve("cni-del");
    }

    public DeferredDeletes start() {
        timer.scheduleWithFixedDelay(this::drain, 0, RETRY_SECONDS, TimeUnit.SECONDS);
        return this;
    }

    /** Runs every spooled DEL once; returns how many are still waiting. */
    int drain() {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int waiting = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                if (!run(file)) {
                    waiting++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("cannot read the DELs queued in %s: %s", dir, e.toString());
        }
        return waiting;
    }

    /** True when the file is dealt with (done, or refused for good) and removed. */
    private boolean run(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_FILE) {
            LOG.warnf("ignoring %s: not a regular file of at most %d bytes", file, MAX_FILE);
            Files.deleteIfExists(file);
            return true;
        }
        try {
            JsonNode request = JSON.readTree(Files.readAllBytes(file));
            CniRequest r = CniRequest.parse(request);
            if (!"DEL".equals(r.command())) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "only DELs are queued, not " + r.command());
            }
            plugin.answer(r);
            LOG.infof("queued CNI DEL of %s on %s done", r.containerId(), r.network());
        } catch (CniError e) {
            if (e.code() == CniError.TRY_AGAIN_LATER) {
                return false;
            }
            LOG.warnf("queued CNI DEL %s refused for good: %s", file.getFileName(), e.getMessage());
        } catch (io.netplane.agent.ipam.IpamServiceClient.Unreachable e) {
            return false;
        } catch (IOException e) {
            LOG.warnf("queued CNI DEL %s cannot be read: %s", file.getFileName(), e.getMessage());
        }
        Files.deleteIfExists(file);
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
