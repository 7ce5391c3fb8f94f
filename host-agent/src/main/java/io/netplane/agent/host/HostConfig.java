package io.netplane.agent.host;

import io.netplane.agent.dns.DnsServiceLink;
import io.netplane.agent.sandbox.HostResolvConf;
import java.nio.file.Path;

/**
 * Which host this agent plays: its id, the namespace holding its devices (null: the agent's own
 * namespace, i.e. the real machine; else a named namespace standing in for a machine), its
 * underlay (VTEP) address, where dns-service listens with the key its stubs sign with (null:
 * no DNS stubs), and the host's resolv.conf, which containers on the default bridge get a copy of.
 */
public record HostConfig(String hostId, Path hostNetns, String underlayAddress, DnsServiceLink dnsService,
        Path resolvConf) {

    /** A host whose containers copy the machine's own /etc/resolv.conf. */
    public HostConfig(String hostId, Path hostNetns, String underlayAddress, DnsServiceLink dnsService) {
        this(hostId, hostNetns, underlayAddress, dnsService, HostResolvConf.SYSTEM);
    }
}
