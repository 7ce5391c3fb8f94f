package io.netplane.events;

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
 * <pre>  timestamp (8 bytes, epoch seconds) | HMAC-SHA256 (32 bytes) | container id (ASCII)</pre>
 * The MAC covers the query's DNS id, the timestamp and the container id, keyed by a secret that
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

    /** Longest container id signed or accepted (Docker's ids are 64 hex digits). */
    public static final int MAX_CONTAINER_ID = 128;

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

    /** The option data proving that {@code containerId} asks, in the query whose DNS id is {@code messageId}. */
    public byte[] sign(String containerId, int messageId, long epochSecond) {
        byte[] id = containerId.getBytes(StandardCharsets.US_ASCII);
        if (id.length == 0 || id.length > MAX_CONTAINER_ID) {
            throw new IllegalArgumentException("container id of " + id.length + " characters cannot be signed");
        }
        ByteBuffer out = ByteBuffer.allocate(STAMP_BYTES + MAC_BYTES + id.length);
        out.putLong(epochSecond);
        out.put(mac(messageId, epochSecond, id, 0, id.length));
        out.put(id);
        return out.array();
    }

    /**
     * The container that option data ({@code length} bytes of {@code data} from {@code offset})
     * proves for the query with DNS id {@code messageId}, or null when it proves nothing: malformed,
     * stale or from the future, or a MAC that does not match (compared in constant time).
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
