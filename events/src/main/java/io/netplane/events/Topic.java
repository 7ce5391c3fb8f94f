package io.netplane.events;

import java.time.Duration;
import java.util.Map;

/**
 * The topic catalogue: every topic netplane uses, its key and its retention, in one place.
 * State topics are compacted and keyed by aggregate id, so a consumer that reads one from the
 * beginning rebuilds the current view.
 */
public enum Topic {
    NETWORKS("networks", "network id", true, 3),
    CONTAINERS("containers", "container id", true, 3),
    ENDPOINTS("endpoints", "endpoint id", true, 3),
    HOSTS("hosts", "host id", true, 3),
    NAT_RULES("nat-rules", "host id", true, 3),
    OVERLAY_MESH("overlay-mesh", "network id", true, 3),
    AGENT_STATUS("agent-status", "endpoint id", true, 3),
    COMMANDS("commands", "request id", false, 3),
    COMMAND_RESULTS("command-results", "request id", true, 3),
    DEAD_LETTER("dead-letter", "the key of the rejected record", false, 1);

    /** How long records of non-compacted topics, and tombstones of compacted ones, are kept. */
    public static final Duration RETENTION = Duration.ofDays(7);

    private final String topicName;
    private final String keyDescription;
    private final boolean compacted;
    private final int partitions;

    Topic(String topicName, String keyDescription, boolean compacted, int partitions) {
        this.topicName = topicName;
        this.keyDescription = keyDescription;
        this.compacted = compacted;
        this.partitions = partitions;
    }

    public String topicName() {
        return topicName;
    }

    public String keyDescription() {
        return keyDescription;
    }

    public boolean compacted() {
        return compacted;
    }

    public int partitions() {
        return partitions;
    }

    /** Topic-level configuration to create this topic with. */
    public Map<String, String> config() {
        String retentionMs = Long.toString(RETENTION.toMillis());
        if (compacted) {
            return Map.of(
                    "cleanup.policy", "compact",
                    "delete.retention.ms", retentionMs,
                    "min.compaction.lag.ms", "0");
        }
        return Map.of("cleanup.policy", "delete", "retention.ms", retentionMs);
    }

    public static Topic byName(String name) {
        for (Topic t : values()) {
            if (t.topicName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown topic " + name);
    }
}
