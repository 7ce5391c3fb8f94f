package io.netplane.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The resolver dns-service forwards unknown names to in the scenarios: on loopback, over UDP, it
 * knows no name at all and says so (NXDOMAIN), as the outside world does for a container name.
 * So a scenario can tell "no such name" from a dead or refusing DNS path (SERVFAIL, REFUSED).
 */
final class OutsideResolver implements AutoCloseable {

    private static final int HEADER = 12;
    private static final int NXDOMAIN = 3;
    private final DatagramSocket socket;

    OutsideResolver() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::serve, "outside-resolver");
        t.setDaemon(true);
        t.start();
    }

    /** host:port, for netplane.dns.upstreams. */
    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        byte[] buf = new byte[65_535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] answer = nxdomain(Arrays.copyOf(p.getData(), p.getLength()));
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (IOException e) {
                // closed, or one bad datagram: the loop condition tells which
            }
        }
    }

    /** The query's header and question with QR, RA and NXDOMAIN set and no other records; null if not one question. */
    static byte[] nxdomain(byte[] query) {
        if (query.length < HEADER || (query[2] & 0x80) != 0 || query[4] != 0 || query[5] != 1) {
            return null;
        }
        int at = HEADER;
        while (at < query.length && query[at] != 0) {
            if ((query[at] & 0xC0) != 0) {
                return null; // a query's only name is never compressed
            }
            at += 1 + (query[at] & 0x3F);
        }
        int end = at + 1 + 4; // the root label, type and class
        if (end > query.length) {
            return null;
        }
        byte[] answer = Arrays.copyOf(query, end);
        answer[2] = (byte) (0x80 | (query[2] & 0x79)); // QR, the opcode and RD as asked
        answer[3] = (byte) (0x80 | NXDOMAIN); // RA
        Arrays.fill(answer, 6, HEADER, (byte) 0); // no answer, authority or additional records
        return answer;
    }

    @Override
    public void close() {
        socket.close();
    }
}
