package io.netplane.events.codec;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} (version 00): the trace a change belongs to and the span
 * that caused this step of it. It travels from the REST call that asked for a change, through the
 * outbox, as the CloudEvents distributed-tracing attribute ({@link CloudEvent#H_TRACEPARENT}) on
 * every record the change produced, and on the agent's report of it; the console joins a
 * connect's steps by it. The current one of a thread is {@link #current()}: set where a request or
 * record comes in, read where an event is written.
 */
public record TraceParent(String traceId, String spanId, String flags) {

    private static final Pattern FORM = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<TraceParent> CURRENT = new ThreadLocal<>();

    /** The value as a header carries it, or empty when it is not a valid version-00 traceparent. */
    public static Optional<TraceParent> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var m = FORM.matcher(text.trim());
        if (!m.matches() || m.group(1).equals("0".repeat(32)) || m.group(2).equals("0".repeat(16))) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(m.group(1), m.group(2), m.group(3)));
    }

    /** A new trace, sampled: what a request without a (valid) traceparent starts, as the W3C says. */
    public static TraceParent root() {
        return new TraceParent(hex(16), hex(8), "01");
    }

    /** The next step of the same trace: a new span whose parent is this one. */
    public TraceParent child() {
        return new TraceParent(traceId, hex(8), flags);
    }

    /** The child of {@code parent} when it is a valid traceparent, else a new trace. */
    public static TraceParent continueOrStart(String parent) {
        return parse(parent).map(TraceParent::child).orElseGet(TraceParent::root);
    }

    @Override
    public String toString() {
        return "00-" + traceId + "-" + spanId + "-" + flags;
    }

    /** The trace this thread works for now, or null. */
    public static TraceParent current() {
        return CURRENT.get();
    }

    /** Makes {@code trace} (null: none) this thread's current one; returns the one it replaces. */
    public static TraceParent makeCurrent(TraceParent trace) {
        TraceParent before = CURRENT.get();
        if (trace == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(trace);
        }
        return before;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
