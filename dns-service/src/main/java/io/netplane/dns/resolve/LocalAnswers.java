package io.netplane.dns.resolve;

import io.netplane.dns.view.EndpointEntry;
import io.netplane.dns.view.View;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Answers from the view (libnetwork {@code resolver.go}): A and AAAA with every address, shuffled;
 * AAAA and MX for a known name without such records are NOERROR and empty; PTR for a container
 * address gives {@code name.network.}. Null means "not ours": the query goes upstream.
 */
final class LocalAnswers {

    /** Docker's {@code respTTL}. */
    static final long TTL = 600;

    private static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    private static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    Message answer(View view, Asker asker, Message query) {
        Record question = query.getQuestion();
        int type = question.getType();
        if (asker.endpoints().isEmpty()) {
            return null;
        }
        if (type == Type.PTR) {
            return pointer(view, asker, query, question.getName());
        }
        if (type != Type.A && type != Type.AAAA && type != Type.MX) {
            return null;
        }
        String name = question.getName().toString(true).toLowerCase(Locale.ROOT);
        List<EndpointEntry> found = NameResolver.resolve(view, asker, name);
        if (found.isEmpty()) {
            return null;
        }
        Message reply = Replies.to(query, Rcode.NOERROR);
        if (type == Type.MX) {
            return reply;
        }
        List<InetAddress> addresses = new ArrayList<>(NameResolver.addresses(found, type == Type.AAAA));
        Collections.shuffle(addresses, ThreadLocalRandom.current());
        for (InetAddress a : addresses) {
            Record rr = a instanceof Inet4Address v4
                    ? new ARecord(question.getName(), DClass.IN, TTL, v4)
                    : new AAAARecord(question.getName(), DClass.IN, TTL, (Inet6Address) a);
            reply.addRecord(rr, Section.ANSWER);
        }
        return reply;
    }

    private static Message pointer(View view, Asker asker, Message query, Name name) {
        if (!name.subdomain(IN_ADDR_ARPA) && !name.subdomain(IP6_ARPA)) {
            return null;
        }
        InetAddress address;
        try {
            address = ReverseMap.fromName(name);
        } catch (UnknownHostException | RuntimeException e) {
            return null; // a partial or odd reverse name: upstream may know it (e.g. a zone's SOA)
        }
        EndpointEntry target = NameResolver.reverse(view, asker, address);
        if (target == null) {
            return null;
        }
        Message reply = Replies.to(query, Rcode.NOERROR);
        try {
            reply.addRecord(new PTRRecord(name, DClass.IN, TTL, Name.fromString(target.ptrName())), Section.ANSWER);
        } catch (TextParseException e) {
            return Replies.to(query, Rcode.SERVFAIL);
        }
        return reply;
    }
}
