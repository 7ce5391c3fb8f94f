package io.netplane.events.model;

/**
 * A link as resolved by ipam-service: the target container's name, the alias the linking
 * container uses, and the target's id, hostname and address on the shared network.
 */
public record Link(String name, String alias, String containerId, String hostname, String ipv4Address) {
}
