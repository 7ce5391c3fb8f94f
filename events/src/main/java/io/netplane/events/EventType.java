package io.netplane.events;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every event record, the topic it travels on and its CloudEvents {@code type}
 * ("io.netplane.NetworkCreated"). A consumer decodes a record by its {@code ce_type} header.
 */
public enum EventType {
    NETWORK_CREATED(NetworkCreated.class, Topic.NETWORKS),
    NETWORK_REMOVED(NetworkRemoved.class, Topic.NETWORKS),
    CONTAINER_CREATED(ContainerCreated.class, Topic.CONTAINERS),
    CONTAINER_REMOVED(ContainerRemoved.class, Topic.CONTAINERS),
    ENDPOINT_ALLOCATED(EndpointAllocated.class, Topic.ENDPOINTS),
    ENDPOINT_RELEASED(EndpointReleased.class, Topic.ENDPOINTS),
    HOST_HEARTBEAT(HostHeartbeat.class, Topic.HOSTS),
    HOST_LEFT(HostLeft.class, Topic.HOSTS),
    NAT_RULESET(NatRuleset.class, Topic.NAT_RULES),
    OVERLAY_NETWORK_MESH(OverlayNetworkMesh.class, Topic.OVERLAY_MESH),
    ENDPOINT_STATUS(EndpointStatus.class, Topic.AGENT_STATUS),
    COMMAND(Command.class, Topic.COMMANDS),
    COMMAND_RESULT(CommandResult.class, Topic.COMMAND_RESULTS);

    public static final String CE_TYPE_PREFIX = "io.netplane.";

    private final Class<? extends NetplaneEvent> recordClass;
    private final Topic topic;

    EventType(Class<? extends NetplaneEvent> recordClass, Topic topic) {
        this.recordClass = recordClass;
        this.topic = topic;
    }

    public Class<? extends NetplaneEvent> recordClass() {
        return recordClass;
    }

    public Topic topic() {
        return topic;
    }

    /** The CloudEvents type attribute. */
    public String ceType() {
        return CE_TYPE_PREFIX + recordClass.getSimpleName();
    }

    /** Where the JSON Schema of this event lives on the classpath and in the source tree. */
    public String schemaResource() {
        return "schemas/" + recordClass.getSimpleName() + ".schema.json";
    }

    public static EventType of(NetplaneEvent event) {
        return of(event.getClass());
    }

    public static EventType of(Class<?> recordClass) {
        return Arrays.stream(values())
                .filter(t -> t.recordClass == recordClass)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a netplane event: " + recordClass.getName()));
    }

    public static Optional<EventType> byCeType(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType().equals(ceType)).findFirst();
    }
}
