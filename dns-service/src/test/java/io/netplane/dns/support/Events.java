package io.netplane.dns.support;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.EndpointReleased;
import io.netplane.events.NetworkCreated;
import io.netplane.events.model.Link;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Builds the events ipam-service would publish, with fresh ids so tests never share state. */
public final class Events {

    private static final AtomicLong REVISION = new AtomicLong(1);

    private Events() {
    }

    public static String newId() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    public static long revision() {
        return REVISION.getAndIncrement();
    }

    public static NetworkCreated network(String id, String name, String driver, String scope) {
        return new NetworkCreated(id, revision(), Instant.now(), NetworkCreated.SCHEMA_VERSION, name, driver, scope,
                false, false, false, false, List.of(), Map.of(), Map.of(), null, 1500, true, Instant.now());
    }

    /** A container on a network, with Docker's DNS names (name, aliases, short id, hostname) unless given. */
    public static final class Endpoint {
        public final String endpointId = newId();
        public String containerId = newId();
        public String name;
        public String hostname;
        public String hostId = "h1";
        public String networkId;
        public String networkName;
        public String driver = "bridge";
        public String ipv4;
        public String ipv6;
        public List<String> aliases = List.of();
        public List<Link> links = List.of();
        public List<String> dnsNames;

        public Endpoint(String name, NetworkCreated network, String ipv4) {
            this.name = name;
            this.hostname = containerId.substring(0, 12);
            this.networkId = network.networkId();
            this.networkName = network.name();
            this.driver = network.driver();
            this.ipv4 = ipv4;
        }

        public Endpoint on(String host) {
            hostId = host;
            return this;
        }

        public Endpoint aliases(String... a) {
            aliases = List.of(a);
            return this;
        }

        public Endpoint hostname(String h) {
            hostname = h;
            return this;
        }

        public Endpoint noNames() {
            dnsNames = List.of();
            return this;
        }

        public Endpoint linkTo(Endpoint target, String alias) {
            links = List.of(new Link(target.name, alias, target.containerId, target.hostname, target.ipv4));
            return this;
        }

        public Endpoint sameContainerAs(Endpoint other) {
            containerId = other.containerId;
            name = other.name;
            hostname = other.hostname;
            return this;
        }

        public String shortId() {
            return containerId.substring(0, 12);
        }

        public String address() {
            return ipv4.substring(0, ipv4.indexOf('/'));
        }

        public EndpointAllocated allocated() {
            List<String> names = dnsNames;
            if (names == null) {
                names = new java.util.ArrayList<>();
                names.add(name);
                names.addAll(aliases);
                names.add(shortId());
                if (!hostname.equals(name)) {
                    names.add(hostname);
                }
            }
            return new EndpointAllocated(endpointId, revision(), Instant.now(), EndpointAllocated.SCHEMA_VERSION,
                    containerId, name, hostname, hostId, "create", hostId + "-" + name, networkId, networkName, driver,
                    "eth0", "02:42:ac:12:00:02", ipv4, null, ipv6, 1500, aliases, names, links, true, false,
                    List.of(), List.of(), false);
        }

        public EndpointReleased released() {
            return new EndpointReleased(endpointId, revision(), Instant.now(), EndpointReleased.SCHEMA_VERSION,
                    containerId, networkId, hostId);
        }
    }
}
