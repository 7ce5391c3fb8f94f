package io.netplane.ipam.core;

import java.util.Map;

/**
 * A change to a network a container runtime made through netplane's Docker plugin: Docker asks for
 * the pool before it says the network's name, driver options or gateway, so the network is made
 * first and completed as Docker tells the rest. Null fields stay as they are.
 */
public record NetworkPatch(String name, String driver, Boolean internal, String gateway,
        Map<String, String> auxAddresses, Map<String, String> options) {

    /** Whether anything but the name changes (allowed only while the network has no endpoints). */
    boolean changesDefinition() {
        return driver != null || internal != null || gateway != null || auxAddresses != null || options != null;
    }
}
