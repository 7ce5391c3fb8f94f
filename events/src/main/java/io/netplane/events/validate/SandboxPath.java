package io.netplane.events.validate;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A container's sandbox given by path, which the root agent opens and enters: only a named network
 * namespace, {@code /var/run/netns/<name>} or {@code /run/netns/<name>} with a name by Docker's rule,
 * or a process's {@code /proc/<pid>/ns/net}. The path must already be in normal form, so no
 * {@code ..}, doubled slash or trailing slash can lead elsewhere.
 */
public final class SandboxPath {

    public static final int MAX_NAME = 200;
    private static final Pattern PROC = Pattern.compile("/proc/[1-9][0-9]{0,9}/ns/net");
    private static final Pattern NAMED = Pattern.compile("/(var/)?run/netns/([^/]+)");

    private SandboxPath() {
    }

    public static String check(String sandbox) {
        if (sandbox == null || sandbox.isEmpty() || sandbox.length() > MAX_NAME + 16
                || !Path.of("/").resolve(sandbox).normalize().toString().equals(sandbox)) {
            throw invalid(sandbox);
        }
        var named = NAMED.matcher(sandbox);
        if (PROC.matcher(sandbox).matches()
                || named.matches() && NameRule.restricted(named.group(2), MAX_NAME)) {
            return sandbox;
        }
        throw invalid(sandbox);
    }

    private static InvalidValueException invalid(String sandbox) {
        return new InvalidValueException("invalid sandbox \"" + Shown.of(sandbox)
                + "\": give a network namespace as /var/run/netns/<name>, /run/netns/<name> or /proc/<pid>/ns/net,"
                + " or \"create\"");
    }
}
