package io.netplane.nat.ports;

/** A host port given to a container port. */
public record Allocation(String hostIp, String protocol, int hostPort, int containerPort) {
}
