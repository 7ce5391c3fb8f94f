package io.netplane.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent's socket, faked: serves one connection on a thread, keeps the request it read and writes
 * a canned answer (or, with a null answer, closes without one).
 */
final class FakeAgent implements AutoCloseable {

    private static final Pattern LENGTH = Pattern.compile("(?i)\r\nContent-Length:[ \t]*(\\d+)[ \t]*\r\n");

    final Path socket;
    private final ServerSocketChannel server;
    private final CompletableFuture<byte[]> request = new CompletableFuture<>();

    private FakeAgent(Path socket, byte[] answer) throws IOException {
        this.socket = socket;
        Files.createDirectories(socket.getParent());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> serve(answer), "fake-agent");
        t.setDaemon(true);
        t.start();
    }

    static FakeAgent answering(Path socket, String answer) throws IOException {
        return new FakeAgent(socket, answer.getBytes(StandardCharsets.UTF_8));
    }

    /** Accepts, then closes without reading or answering. */
    static FakeAgent hangingUp(Path socket) throws IOException {
        return new FakeAgent(socket, null);
    }

    /** The request as received: its head up to the blank line, then the Content-Length bytes of body. */
    byte[] request() throws Exception {
        return request.get(60, TimeUnit.SECONDS);
    }

    private void serve(byte[] answer) {
        try (SocketChannel c = server.accept()) {
            if (answer == null) {
                request.complete(new byte[0]);
                return;
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            int need = -1;
            while (need < 0 || got.size() < need) {
                buf.clear();
                if (c.read(buf) < 0) {
                    break;
                }
                got.write(buf.array(), 0, buf.position());
                String text = got.toString(StandardCharsets.ISO_8859_1);
                int headEnd = text.indexOf("\r\n\r\n");
                if (need < 0 && headEnd >= 0) {
                    Matcher m = LENGTH.matcher(text.substring(0, headEnd + 2));
                    need = headEnd + 4 + (m.find() ? Integer.parseInt(m.group(1)) : 0);
                }
            }
            request.complete(Arrays.copyOf(got.toByteArray(), need < 0 ? got.size() : Math.min(need, got.size())));
            c.write(ByteBuffer.wrap(answer));
        } catch (IOException e) {
            request.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
