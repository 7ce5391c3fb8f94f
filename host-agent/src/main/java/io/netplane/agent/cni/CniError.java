package io.netplane.agent.cni;

/**
 * A CNI call refused or failed, as the spec's error result: {@code code} (1-99 the spec's own, 100+
 * netplane's), {@code msg} for a person and optional {@code details}.
 */
public final class CniError extends RuntimeException {

    /** The network configuration's cniVersion is not one netplane-cni speaks. */
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODING_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    /** netplane's control plane refused the request (a taken port, an unknown network ...): msg says why. */
    public static final int REFUSED = 100;
    /** CHECK found the container's interface, addresses or routes not as the previous result says. */
    public static final int CHECK_FAILED = 101;
    /** The agent failed in a way it did not foresee: its log has the trace. */
    public static final int AGENT_FAILED = 102;

    private final int code;
    private final String details;

    public CniError(int code, String msg) {
        this(code, msg, null);
    }

    public CniError(int code, String msg, String details) {
        super(msg);
        this.code = code;
        this.details = details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
