package io.netplane.events;

import io.netplane.events.model.PortSpec;
import java.time.Instant;
import java.util.List;

/**
 * The networking identity of a container (topic {@code containers}, key container id): its
 * name (unique per host), hostname, host and sandbox. {@code sandbox} is a namespace path given
 * by a runtime, or "create"; {@code sandboxName} is then the named namespace the agent makes
 * under /var/run/netns. {@code networkMode} is "host" or "none" for those special modes, else
 * "default". Ports are the container's requested published ports.
 */
public record ContainerCreated(String containerId, long revision, Instant time, int schemaVersion, String name,
        String hostname, String hostId, String sandbox, String sandboxName, String networkMode, List<PortSpec> ports,
        List<String> exposedPorts, boolean publishAllPorts, Instant created) implements NetplaneEvent {

    public static final int SCHEMA_VERSION = 1;

    public ContainerCreated {
        Require.text(containerId, "containerId");
        Require.positive(revision, "revision");
        Require.present(time, "time");
        Require.text(name, "name");
        Require.text(hostId, "hostId");
        ports = ports == null ? List.of() : List.copyOf(ports);
        exposedPorts = exposedPorts == null ? List.of() : List.copyOf(exposedPorts);
    }

    @Override
    public String aggregateId() {
        return containerId;
    }
}
