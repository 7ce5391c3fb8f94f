package io.netplane.ipam.core;

import io.netplane.events.model.PortSpec;
import java.time.Instant;
import java.util.List;

/** A container's networking identity as stored. networkMode is "host", "none" or "default". */
public record Container(String id, String name, String hostname, String hostId, String sandbox, String sandboxName,
        String networkMode, List<PortSpec> ports, List<String> exposedPorts, boolean publishAllPorts, Instant created,
        long revision) {
}
