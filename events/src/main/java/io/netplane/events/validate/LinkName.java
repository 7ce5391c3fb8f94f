package io.netplane.events.validate;

import io.netplane.events.Names;

/**
 * The names netplane gives the links it makes in a host's namespace: br-*, veth*, vx-*, np* and
 * netplane0. The agent creates and removes only links of these names (in its link group), so a
 * bridge name a user asks for must be one of them: anything else is someone else's link.
 */
public final class LinkName {

    private LinkName() {
    }

    public static boolean isOwn(String name) {
        return name.startsWith("br-") || name.startsWith("veth") || name.startsWith("vx-")
                || name.equals(Names.GATEWAY_BRIDGE_DEVICE) || name.equals(Names.DEFAULT_BRIDGE_DEVICE)
                || name.startsWith("np");
    }

    /** A valid interface name that is also one of netplane's own; {@code what} names the value. */
    public static String checkOwn(String name, String what) {
        InterfaceName.check(name, what);
        if (!isOwn(name)) {
            throw new InvalidValueException("invalid " + what + " \"" + Shown.of(name) + "\": netplane makes and"
                    + " removes only links named br-*, vx-*, veth*, np* or " + Names.DEFAULT_BRIDGE_DEVICE
                    + ", and never takes over another; choose a name starting with br-");
        }
        return name;
    }
}
