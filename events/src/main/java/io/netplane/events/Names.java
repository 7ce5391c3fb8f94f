package io.netplane.events;

/**
 * Names shared by several services, owned here so that ipam-service (which assigns them) and
 * the host agent (which creates the devices) agree. Linux interface names hold at most 15
 * characters.
 */
public final class Names {

    /** The predefined networks, as Docker names them. */
    public static final String BRIDGE_NETWORK = "bridge";
    /** A container's sandbox the agent makes itself, as a named namespace. */
    public static final String CREATE_SANDBOX = "create";
    /** A container's sandbox a container runtime (Docker, through netplane's plugin) owns: the agent makes only the host side. */
    public static final String RUNTIME_SANDBOX = "docker";
    public static final String HOST_NETWORK = "host";
    public static final String NONE_NETWORK = "none";

    /** The local bridge network overlay containers use for their way out (Docker's docker_gwbridge). */
    public static final String GATEWAY_BRIDGE_NETWORK = "netplane_gwbridge";
    /** Its device name ("netplane_gwbridge" is longer than IFNAMSIZ allows). */
    public static final String GATEWAY_BRIDGE_DEVICE = "np_gwbridge";
    /** Default device name of the default bridge network (Docker's docker0). */
    public static final String DEFAULT_BRIDGE_DEVICE = "netplane0";

    public static final int IFNAMSIZ = 15;

    private Names() {
    }

    /** {@code br-} and the first 12 hex characters of the network id, as Docker names user bridges. */
    public static String bridgeDevice(String networkId) {
        return "br-" + networkId.substring(0, 12);
    }

    /** {@code vx-<vni as 6 hex>-<first 5 of the network id>}, as Docker names its VXLAN devices. */
    public static String vxlanDevice(int vni, String networkId) {
        return String.format("vx-%06x-%s", vni, networkId.substring(0, 5));
    }

    /** The named namespace the agent creates for a container whose sandbox is "create". */
    public static String sandboxName(String hostId, String containerName) {
        return hostId + "-" + containerName;
    }

    /** Docker's short id: the first 12 hex characters. */
    public static String shortId(String id) {
        return id.length() <= 12 ? id : id.substring(0, 12);
    }
}
