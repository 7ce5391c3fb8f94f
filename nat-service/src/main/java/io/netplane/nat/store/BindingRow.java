package io.netplane.nat.store;

/** One allocated host port, with the endpoint and container it leads to. */
public record BindingRow(String endpointId, String containerId, String containerName, String hostIp, int hostPort,
        String protocol, String containerIp, int containerPort) {
}
