package io.netplane.localcluster;

/** How the local broker lets clients in. */
public enum KafkaSecurity {
    /** One PLAINTEXT listener, no authentication, no ACLs: what tests of a single service use. */
    PLAINTEXT,
    /**
     * SASL/SCRAM-SHA-512 on the client listener, the StandardAuthorizer with no access where no
     * ACL allows it, and one user per {@link io.netplane.events.kafka.KafkaIdentity} with the ACLs
     * of its role.
     */
    SCRAM_ACLS
}
