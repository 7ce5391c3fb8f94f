package io.netplane.dns.forward;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Upstream answers kept for their TTL (negative answers for the SOA minimum, RFC 2308), served
 * with the TTLs counted down. Only NOERROR and NXDOMAIN answers that were not truncated are kept.
 */
final class ResponseCache {

    private static final long MAX_TTL_SECONDS = 3_600;

    private record Key(String name, int type, int dclass) {
    }

    private record Entry(Message answer, long storedNanos, long ttlSeconds) {
    }

    private final Cache<Key, Entry> cache;

    ResponseCache(long maxEntries) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(Expiry.creating((Key k, Entry e) -> java.time.Duration.ofSeconds(e.ttlSeconds())))
                .build();
    }

    Message get(Record question) {
        Entry e = cache.getIfPresent(key(question));
        if (e == null) {
            return null;
        }
        long elapsed = (System.nanoTime() - e.storedNanos()) / 1_000_000_000L;
        return aged(e.answer(), elapsed);
    }

    void put(Record question, Message answer) {
        int rcode = answer.getRcode();
        if ((rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) || answer.getHeader().getFlag(Flags.TC)) {
            return;
        }
        long ttl = ttl(answer);
        if (ttl > 0) {
            cache.put(key(question), new Entry(answer.clone(), System.nanoTime(), ttl));
        }
    }

    long size() {
        return cache.estimatedSize();
    }

    private static Key key(Record q) {
        return new Key(q.getName().toString().toLowerCase(Locale.ROOT), q.getType(), q.getDClass());
    }

    private static long ttl(Message answer) {
        List<Record> answers = answer.getSection(Section.ANSWER);
        long ttl = MAX_TTL_SECONDS;
        if (answers.isEmpty()) {
            ttl = 0;
            for (Record r : answer.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord soa) {
                    ttl = Math.min(MAX_TTL_SECONDS, Math.min(soa.getTTL(), soa.getMinimum()));
                }
            }
            return ttl;
        }
        for (Record r : answers) {
            ttl = Math.min(ttl, r.getTTL());
        }
        for (Record r : answer.getSection(Section.AUTHORITY)) {
            ttl = Math.min(ttl, r.getTTL());
        }
        return ttl;
    }

    private static Message aged(Message stored, long elapsedSeconds) {
        Message out = new Message(stored.getHeader().getID());
        out.getHeader().setRcode(stored.getRcode());
        for (int flag : new int[] {Flags.AA, Flags.RD, Flags.RA, Flags.AD}) {
            if (stored.getHeader().getFlag(flag)) {
                out.getHeader().setFlag(flag);
            }
        }
        out.getHeader().setFlag(Flags.QR);
        out.addRecord(stored.getQuestion(), Section.QUESTION);
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : stored.getSection(section)) {
                if (r.getType() == org.xbill.DNS.Type.OPT) {
                    continue;
                }
                long ttl = Math.max(0, r.getTTL() - elapsedSeconds);
                out.addRecord(Record.newRecord(r.getName(), r.getType(), r.getDClass(), ttl,
                        r.rdataToWireCanonical()), section);
            }
        }
        return out;
    }
}
