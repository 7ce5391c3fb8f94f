package io.netplane.agent.sandbox;

import io.netplane.events.model.Link;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files a sandbox sees as /etc/resolv.conf, /etc/hosts and /etc/hostname: they live in
 * /etc/netns/NAME, which {@code ip netns exec NAME} bind-mounts over /etc. Writes are atomic
 * (temp file + rename) and skipped when the content is already right.
 */
public final class SandboxFiles {

    public static final Path ETC_NETNS = Path.of("/etc/netns");

    /** Docker's resolv.conf for a container with the embedded DNS server (on a user-defined network). */
    public static final String RESOLV_CONF = "nameserver 127.0.0.11\noptions ndots:0\n";

    private static final String HOSTS_DEFAULTS = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    /** Outside /etc/netns: `ip netns exec` bind-mounts every file there and warns about unknown ones. */
    public static final Path OWNERS = Path.of("/run/netplane/sandbox-owners");

    private final Path root;
    private final Path owners;
    private final HostResolvConf hostResolvConf;

    public SandboxFiles() {
        this(new HostResolvConf(HostResolvConf.SYSTEM));
    }

    public SandboxFiles(HostResolvConf hostResolvConf) {
        this(ETC_NETNS, OWNERS, hostResolvConf);
    }

    public SandboxFiles(Path root) {
        this(root, root.resolve(".owners"), new HostResolvConf(HostResolvConf.SYSTEM));
    }

    public SandboxFiles(Path root, Path owners, HostResolvConf hostResolvConf) {
        this.root = root;
        this.owners = owners;
        this.hostResolvConf = hostResolvConf;
    }

    public Path dir(String sandboxName) {
        return root.resolve(sandboxName);
    }

    /**
     * A sandbox's own addresses (one per network it is on), the links written to its /etc/hosts, and
     * whether it uses the embedded DNS (127.0.0.11: on a user-defined network) or a copy of the host's.
     */
    public record Identity(String hostname, List<String> ownAddresses, List<Link> links, boolean embeddedDns) {
    }

    /** Writes resolv.conf, hosts and hostname; returns true if any file changed. */
    public boolean write(String sandboxName, Identity identity) {
        Path dir = dir(sandboxName);
        try {
            Files.createDirectories(dir);
            boolean changed = put(dir.resolve("resolv.conf"),
                    identity.embeddedDns() ? RESOLV_CONF : hostResolvConf.forContainers());
            changed |= put(dir.resolve("hosts"), hosts(identity));
            changed |= put(dir.resolve("hostname"), identity.hostname() == null ? "" : identity.hostname() + "\n");
            return changed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sandbox files in " + dir, e);
        }
    }

    /**
     * Docker's /etc/hosts: the loopback defaults, one line per {@code --link} as
     * {@code <ip>\t<alias> <hostname> [<name>]} (the name only when it differs from the alias),
     * then the container's own address with its hostname.
     */
    public static String hosts(Identity identity) {
        StringBuilder sb = new StringBuilder(HOSTS_DEFAULTS);
        for (Link link : identity.links()) {
            if (link.ipv4Address() == null) {
                continue;
            }
            String alias = link.alias() == null || link.alias().isEmpty() ? link.name() : link.alias();
            sb.append(stripPrefix(link.ipv4Address())).append('\t').append(alias);
            if (link.hostname() != null && !link.hostname().isEmpty()) {
                sb.append(' ').append(link.hostname());
            }
            if (link.name() != null && !link.name().equals(alias)) {
                sb.append(' ').append(link.name());
            }
            sb.append('\n');
        }
        if (identity.hostname() != null) {
            for (String own : identity.ownAddresses()) {
                sb.append(stripPrefix(own)).append('\t').append(identity.hostname()).append('\n');
            }
        }
        return sb.toString();
    }

    /** Records which host agent made the sandbox, so that only that agent ever removes it. */
    public void markOwner(String sandboxName, String hostId) {
        try {
            Files.createDirectories(owners);
            put(owners.resolve(sandboxName), hostId + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write owner of " + sandboxName, e);
        }
    }

    /** The host id that made the sandbox, or null if no netplane agent did. */
    public String owner(String sandboxName) {
        Path f = owners.resolve(sandboxName);
        try {
            return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    public void remove(String sandboxName) {
        try {
            Files.deleteIfExists(owners.resolve(sandboxName));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove owner mark of " + sandboxName, e);
        }
        Path dir = dir(sandboxName);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private static String stripPrefix(String address) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }

    private static boolean put(Path file, String content) throws IOException {
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return false;
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }
}
