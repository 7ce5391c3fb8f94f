package io.netplane.events.kafka;

import io.netplane.events.Topic;
import io.netplane.events.validate.HostId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A principal on the broker: one per service ({@code ipam-service}, {@code nat-service},
 * {@code overlay-service}, {@code dns-service}), one per host agent ({@code agent-<hostId>}) and
 * {@code pipeline} for CI. Each authenticates with SASL/SCRAM-SHA-512 ({@link Scram}) under its
 * own password and may do what its {@link KafkaRole} says, nothing else.
 */
public final class KafkaIdentity {

    public static final String AGENT_PREFIX = "agent-";

    private final String name;
    private final KafkaRole role;

    private KafkaIdentity(String name, KafkaRole role) {
        this.name = name;
        this.role = role;
    }

    /** The one identity of a service or of the pipeline. */
    public static KafkaIdentity of(KafkaRole role) {
        if (role == KafkaRole.HOST_AGENT) {
            throw new IllegalArgumentException("an agent's identity names its host: use KafkaIdentity.agent(hostId)");
        }
        return new KafkaIdentity(role.name().toLowerCase(Locale.ROOT).replace('_', '-'), role);
    }

    /** The identity of the agent on {@code hostId}. */
    public static KafkaIdentity agent(String hostId) {
        return new KafkaIdentity(AGENT_PREFIX + HostId.check(hostId), KafkaRole.HOST_AGENT);
    }

    /** Every identity that exists whatever the hosts are: the services' and the pipeline's. */
    public static List<KafkaIdentity> fixed() {
        return Arrays.stream(KafkaRole.values()).filter(r -> r != KafkaRole.HOST_AGENT).map(KafkaIdentity::of).toList();
    }

    /** The SCRAM user name. */
    public String name() {
        return name;
    }

    public KafkaRole role() {
        return role;
    }

    /** The principal ACLs name: {@code User:<name>}. */
    public String principal() {
        return "User:" + name;
    }

    /**
     * The ACLs that allow exactly what the role says: Write or Read on each of its topics (both
     * imply Describe), and Read on its consumer groups. Services and the pipeline may use any
     * group id that starts with their name. An agent only the group id equal to its name,
     * because host ids can extend one another ({@code h1}, {@code h10}) and a prefix would
     * reach another host's groups. Write on a topic is enough for an idempotent producer
     * (Kafka 3.0+, KIP-679), so no Cluster ACL is given.
     */
    public List<AclBinding> aclBindings() {
        List<AclBinding> acls = new ArrayList<>();
        for (Topic t : role.writes()) {
            acls.add(allow(new ResourcePattern(ResourceType.TOPIC, t.topicName(), PatternType.LITERAL), AclOperation.WRITE));
        }
        for (Topic t : role.reads()) {
            acls.add(allow(new ResourcePattern(ResourceType.TOPIC, t.topicName(), PatternType.LITERAL), AclOperation.READ));
        }
        PatternType groups = role == KafkaRole.HOST_AGENT ? PatternType.LITERAL : PatternType.PREFIXED;
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, name, groups), AclOperation.READ));
        return acls;
    }

    /** What a Kafka client of this identity sets besides {@code bootstrap.servers} (see {@link Scram}). */
    public Map<String, String> clientConfig(String password) {
        return Scram.clientConfig(name, password);
    }

    private AclBinding allow(ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaIdentity other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
