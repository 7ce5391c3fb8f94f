package io.netplane.dns.support;

import io.netplane.events.DnsIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.IntFunction;

/** Identity options as the host agent's stub signs them, and the forgeries a stranger could send. */
public final class TestIdentity {

    /** The test profile's {@code netplane.dns.identity-key} (application.properties). */
    public static final DnsIdentity KEY =
            DnsIdentity.fromBase64("bmV0cGxhbmUgZGV2L3Rlc3QgaWRlbnRpdHkga2V5OiBub3QgYSBzZWNyZXQ=");

    /** Someone else's key: right format, wrong secret. */
    public static final DnsIdentity OTHER_KEY =
            DnsIdentity.fromBase64("c29tZW9uZSBlbHNlJ3Mga2V5LCBub3QgbmV0cGxhbmUncyBrZXk=");

    private TestIdentity() {
    }

    /** Option data for a DNS id: what the stub of {@code containerId}'s host sends. */
    public static IntFunction<byte[]> signed(String containerId) {
        return messageId -> KEY.sign(containerId, messageId, now());
    }

    /** What the host stub of {@code hostId} sends for a source that is no container it knows. */
    public static IntFunction<byte[]> host(String hostId) {
        return signed(DnsIdentity.host(hostId));
    }

    /** The bare id, as before identities were signed: knowing the id must not be enough. */
    public static IntFunction<byte[]> bare(String containerId) {
        return messageId -> containerId.getBytes(StandardCharsets.US_ASCII);
    }

    public static IntFunction<byte[]> signedWithOtherKey(String containerId) {
        return messageId -> OTHER_KEY.sign(containerId, messageId, now());
    }

    /** Signed properly a minute ago: a replay. */
    public static IntFunction<byte[]> stale(String containerId) {
        return messageId -> KEY.sign(containerId, messageId, now() - 60);
    }

    /** Signed properly for another query: lifted from one query onto the next. */
    public static IntFunction<byte[]> forAnotherQuery(String containerId) {
        return messageId -> KEY.sign(containerId, (messageId + 1) & 0xFFFF, now());
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
