package io.netplane.events;

/**
 * How a host agent's DNS stub tells dns-service who is asking: an EDNS0 option in the query,
 * from the private-use range of RFC 6891, whose data is the asking container's id in ASCII.
 * dns-service answers for that container's networks; without the option it knows the asker by
 * its source address, and refuses anyone who is not a netplane container.
 */
public final class DnsIdentity {

    /** EDNS0 option code (local/experimental use range 65001-65534). */
    public static final int OPTION_CODE = 65001;

    private DnsIdentity() {
    }
}
