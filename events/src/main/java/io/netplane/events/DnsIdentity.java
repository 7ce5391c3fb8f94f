package io.netplane.events;

import io.netplane.events.validate.HostId;
import io.netplane.events.validate.InvalidValueException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a host agent's DNS stub tells dns-service who is asking, in a way nobody else can forge:
 * an EDNS0 option in the query, from the private-use range of RFC 6891, whose data is
 * <pre>  timestamp (8 bytes, epoch seconds) | HMAC-SHA256 (32 bytes) | asker (ASCII)</pre>
 * The asker is a container id, or {@code host:<hostId>} ({@link #host}) for a query a host
 * agent forwards from its host but from no container it can name. The MAC covers the query's
 * DNS id, the timestamp and the asker, keyed by a secret that
 * dns-service and the agents share ({@code netplane.dns.identity-key}). Knowing a container's id
 * (the API lists them) is therefore not enough to ask as that container; a captured option is
 * good only for the same DNS id and only within {@link #FRESH_SECONDS}.
 *
 * <p>An instance is the shared key; it is thread-safe.
 */
public final class DnsIdentity {

    /** EDNS0 option code (local/experimental use range 65001-65534). */
    public static final int OPTION_CODE = 65001;

    /** The property both dns-service and the agents read the key from. */
    public static final String KEY_PROPERTY = "netplane.dns.identity-key";

    /** 256 bits: HMAC-SHA256's own output size; a shorter key weakens the MAC (RFC 2104 §3). */
    public static final int MIN_KEY_BYTES = 32;

    /**
     * How far a timestamp may lie from the verifier's clock, either way. Hosts kept by NTP agree
     * within milliseconds and a query travels in less; 5 s also covers a loaded agent and a
     * stepped clock, while a captured option stays usable only that long (for its DNS id only).
     */
    public static final long FRESH_SECONDS = 5;

    /** Longest asker signed or accepted (Docker's ids are 64 hex digits, a host's identity has at most 68). */
    public static final int MAX_CONTAINER_ID = 128;

    /**
     * What a host's identity starts with. No container id holds a ':' (Docker's and ipam-service's
     * are 64 hex digits), so a host's identity is never a container's.
     */
    private static final String HOST_PREFIX = "host:";

    private static final String ALGORITHM = "HmacSHA256";
    private static final int STAMP_BYTES = 8;
    private static final int MAC_BYTES = 32;

    /** Longest option data: anything longer is not ours. */
    public static final int MAX_OPTION_LENGTH = STAMP_BYTES + MAC_BYTES + MAX_CONTAINER_ID;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private DnsIdentity(byte[] key) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The key from its configured text: base64 of at least {@link #MIN_KEY_BYTES} bytes.
     *
     * @throws IllegalArgumentException saying what is wrong and how to make a good key
     */
    public static DnsIdentity fromBase64(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY_PROPERTY + " is not valid base64 (" + e.getMessage() + "); "
                    + howToMakeOne());
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(KEY_PROPERTY + " holds " + key.length + " bytes, at least "
                    + MIN_KEY_BYTES + " are needed; " + howToMakeOne());
        }
        return new DnsIdentity(key);
    }

    /** The hint every key error ends with. */
    public static String howToMakeOne() {
        return "make one with `head -c 32 /dev/urandom | base64` and give the same value to dns-service and every "
                + "host agent";
    }

    /**
     * The identity a host agent signs for a query from its host that comes from no container it
     * may ask as (the host itself, a container on one of Docker's own networks): dns-service
     * resolves outside names for it and answers it no container's name.
     *
     * @throws InvalidValueException when {@code hostId} is not a valid host id ({@link HostId})
     */
    public static String host(String hostId) {
        return HOST_PREFIX + HostId.check(hostId);
    }

    /** Whether an identity ({@link #verify}'s result) is a host's, as {@link #host} makes them, not a container's. */
    public static boolean isHost(String identity) {
        if (identity == null || !identity.startsWith(HOST_PREFIX)) {
            return false;
        }
        try {
            HostId.check(identity.substring(HOST_PREFIX.length()));
            return true;
        } catch (InvalidValueException e) {
            return false;
        }
    }

    /**
     * The option data proving that {@code asker} (a container id, or a {@link #host} identity)
     * asks, in the query whose DNS id is {@code messageId}.
     */
    public byte[] sign(String asker, int messageId, long epochSecond) {
        byte[] id = asker.getBytes(StandardCharsets.US_ASCII);
        if (id.length == 0 || id.length > MAX_CONTAINER_ID) {
            throw new IllegalArgumentException("an asker of " + id.length + " characters cannot be signed");
        }
        ByteBuffer out = ByteBuffer.allocate(STAMP_BYTES + MAC_BYTES + id.length);
        out.putLong(epochSecond);
        out.put(mac(messageId, epochSecond, id, 0, id.length));
        out.put(id);
        return out.array();
    }

    /**
     * The asker (a container id or a {@link #host} identity) that option data ({@code length}
     * bytes of {@code data} from {@code offset}) proves for the query with DNS id
     * {@code messageId}, or null when it proves nothing: malformed, stale or from the future, or
     * a MAC that does not match (compared in constant time).
     */
    public String verify(byte[] data, int offset, int length, int messageId, long nowEpochSecond) {
        int idLength = length - STAMP_BYTES - MAC_BYTES;
        if (idLength <= 0 || idLength > MAX_CONTAINER_ID) {
            return null;
        }
        long stamp = ByteBuffer.wrap(data, offset, STAMP_BYTES).getLong();
        if (Math.abs(nowEpochSecond - stamp) > FRESH_SECONDS) {
            return null;
        }
        int idAt = offset + STAMP_BYTES + MAC_BYTES;
        byte[] expected = mac(messageId, stamp, data, idAt, idLength);
        byte[] given = Arrays.copyOfRange(data, offset + STAMP_BYTES, idAt);
        if (!MessageDigest.isEqual(expected, given)) {
            return null;
        }
        return new String(data, idAt, idLength, StandardCharsets.US_ASCII);
    }

    private byte[] mac(int messageId, long stamp, byte[] id, int idOffset, int idLength) {
        Mac mac = macs.get();
        mac.update((byte) (messageId >>> 8));
        mac.update((byte) messageId);
        mac.update(ByteBuffer.allocate(STAMP_BYTES).putLong(stamp).array());
        mac.update(id, idOffset, idLength);
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java platform", e);
        }
    }
}
