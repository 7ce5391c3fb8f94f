package io.netplane.events.kafka;

import static io.netplane.events.Topic.AGENT_STATUS;
import static io.netplane.events.Topic.COMMANDS;
import static io.netplane.events.Topic.COMMAND_RESULTS;
import static io.netplane.events.Topic.CONTAINERS;
import static io.netplane.events.Topic.DEAD_LETTER;
import static io.netplane.events.Topic.ENDPOINTS;
import static io.netplane.events.Topic.HOSTS;
import static io.netplane.events.Topic.NAT_RULES;
import static io.netplane.events.Topic.NETWORKS;
import static io.netplane.events.Topic.OVERLAY_MESH;

import io.netplane.events.Topic;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who may write and read each topic: the catalogue the broker's ACLs are made from (see
 * {@link KafkaIdentity#aclBindings()}). Every topic but {@code dead-letter} has exactly one
 * writing role, so each fact has one owner; {@code dead-letter} is written by every role that
 * consumes netplane's events, because that is where a consumer puts a record it refuses.
 * The pipeline role (CI tooling) writes commands and reads their results, nothing else.
 */
public enum KafkaRole {
    IPAM_SERVICE(Set.of(NETWORKS, CONTAINERS, ENDPOINTS, COMMAND_RESULTS, DEAD_LETTER), Set.of(COMMANDS, AGENT_STATUS)),
    NAT_SERVICE(Set.of(NAT_RULES, DEAD_LETTER), Set.of(NETWORKS, ENDPOINTS, HOSTS)),
    OVERLAY_SERVICE(Set.of(OVERLAY_MESH, DEAD_LETTER), Set.of(NETWORKS, ENDPOINTS, HOSTS)),
    DNS_SERVICE(Set.of(DEAD_LETTER), Set.of(NETWORKS, ENDPOINTS)),
    /**
     * The operators' console reads every state topic and writes none: only {@code dead-letter}, where
     * its consumer puts a record it cannot decode instead of stopping on it.
     */
    CONSOLE_SERVICE(Set.of(DEAD_LETTER),
            Set.of(NETWORKS, CONTAINERS, ENDPOINTS, HOSTS, NAT_RULES, OVERLAY_MESH, AGENT_STATUS)),
    /** One principal per host ({@code agent-<hostId>}); see {@link KafkaIdentity#agent(String)}. */
    HOST_AGENT(Set.of(HOSTS, AGENT_STATUS, DEAD_LETTER), Set.of(NETWORKS, CONTAINERS, ENDPOINTS, NAT_RULES, OVERLAY_MESH)),
    PIPELINE(Set.of(COMMANDS), Set.of(COMMAND_RESULTS));

    private final Set<Topic> writes;
    private final Set<Topic> reads;

    KafkaRole(Set<Topic> writes, Set<Topic> reads) {
        this.writes = Set.copyOf(writes);
        this.reads = Set.copyOf(reads);
    }

    public Set<Topic> writes() {
        return writes;
    }

    public Set<Topic> reads() {
        return reads;
    }

    /** The roles that may write {@code topic}. */
    public static Set<KafkaRole> writersOf(Topic topic) {
        EnumSet<KafkaRole> writers = EnumSet.noneOf(KafkaRole.class);
        Arrays.stream(values()).filter(r -> r.writes.contains(topic)).forEach(writers::add);
        return writers;
    }
}
