package io.netplane.dns.support;

import io.netplane.dns.server.Transport;
import io.netplane.events.DnsIdentity;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** A test DNS client: one query over real UDP or TCP, as a given container or from a given address. */
public final class Dig {

    private final int port;
    private IntFunction<byte[]> identity;
    private InetAddress from;
    private boolean edns = true;

    public Dig(int port) {
        this.port = port;
    }

    /** Asks as this container (the host agent stub's EDNS0 option, signed with the test key). */
    public Dig as(String containerId) {
        return withIdentity(TestIdentity.signed(containerId));
    }

    /** Asks with this identity option data, given the query's DNS id (see {@link TestIdentity}). */
    public Dig withIdentity(IntFunction<byte[]> optionData) {
        Dig d = copy();
        d.identity = optionData;
        return d;
    }

    /** Asks from this local address, without the identity option. */
    public Dig from(String address) throws IOException {
        Dig d = copy();
        d.identity = null;
        d.from = InetAddress.getByName(address);
        return d;
    }

    private Dig copy() {
        Dig d = new Dig(port);
        d.identity = identity;
        d.from = from;
        d.edns = edns;
        return d;
    }

    public Message query(String name, int type, Transport transport) throws IOException {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        r.setTCP(transport == Transport.TCP);
        r.setIgnoreTruncation(true);
        r.setTimeout(Duration.ofSeconds(10));
        if (from != null) {
            r.setLocalAddress(new InetSocketAddress(from, 0));
        }
        r.setEDNS(-1, 0, 0, List.of()); // the query carries its own OPT (or none)
        return r.send(newQuery(name, type));
    }

    /** One query over UDP; the datagram exactly as the server sent it. */
    public byte[] udpBytes(String name, int type) throws IOException {
        byte[] query = newQuery(name, type).toWire();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(
                from != null ? from : InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[65_535], 65_535);
            socket.receive(reply);
            return Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    /** The wire bytes of a query with this DNS id, as {@link #query} would send it. */
    public byte[] wire(String name, int type, int id) throws IOException {
        Message q = newQuery(name, type, id);
        return q.toWire();
    }

    private Message newQuery(String name, int type) throws IOException {
        return newQuery(name, type, -1);
    }

    private Message newQuery(String name, int type, int id) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        if (id >= 0) {
            q.getHeader().setID(id);
        }
        if (identity != null) {
            q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(
                    new GenericEDNSOption(DnsIdentity.OPTION_CODE, identity.apply(q.getHeader().getID())))),
                    Section.ADDITIONAL);
        } else if (edns) {
            q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return q;
    }

    public Message a(String name, Transport transport) throws IOException {
        return query(name, Type.A, transport);
    }

    /** The A addresses in an answer, in answer order. */
    public static List<String> addresses(Message answer) {
        return answer.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == Type.A || r.getType() == Type.AAAA)
                .map(r -> r.rdataToString()).toList();
    }
}
