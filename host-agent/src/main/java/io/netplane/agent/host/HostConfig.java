package io.netplane.agent.host;

import io.netplane.agent.dns.DnsServiceLink;
import java.nio.file.Path;

/**
 * Which host this agent plays: its id, the namespace holding its devices (null: the agent's own
 * namespace, i.e. the real machine; else a named namespace standing in for a machine), its
 * underlay (VTEP) address, and where dns-service listens with the key its stubs sign with (null:
 * no DNS stubs).
 */
public record HostConfig(String hostId, Path hostNetns, String underlayAddress, DnsServiceLink dnsService) {
}
