package io.netplane.agent.reconcile;

import io.netplane.agent.netlink.Ip;
import io.netplane.agent.netlink.LinkInfo;
import io.netplane.events.validate.LinkName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What netplane owns and how its devices are named. A link is netplane's only if it carries
 * netplane's link group AND has one of netplane's names, so Docker's own br-/veth links on the
 * same machine are never touched.
 */
public final class Ownership {

    /** IFLA_GROUP of every link netplane creates in a host namespace ("np"). */
    public static final int LINK_GROUP = 0x6e70;

    private Ownership() {
    }

    public static boolean owned(LinkInfo link) {
        return link.group() == LINK_GROUP && link.name() != null && ownName(link.name());
    }

    /** One of the names netplane gives host-side links (events' {@link LinkName}). */
    public static boolean ownName(String n) {
        return LinkName.isOwn(n);
    }

    /** {@code veth} + 7 hex, derived from the endpoint id so that a restarted agent finds it again. */
    public static String vethName(String endpointId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(endpointId.getBytes(StandardCharsets.UTF_8));
            return "veth" + HexFormat.of().formatHex(digest).substring(0, 7);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * 02:42 and the gateway's four bytes: fixed, so the bridge MAC never follows its ports
     * (which would flush permanent neighbours), and equal on every host of an overlay network.
     */
    public static String bridgeMac(String gateway) {
        byte[] ip = Ip.v4(gateway);
        return Ip.mac(new byte[] {0x02, 0x42, ip[0], ip[1], ip[2], ip[3]});
    }
}
