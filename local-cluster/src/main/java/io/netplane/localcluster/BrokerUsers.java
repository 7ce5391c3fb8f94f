package io.netplane.localcluster;

import io.netplane.events.kafka.KafkaIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.ResourcePatternFilter;

/**
 * Registers identities on a secured broker through the Admin API (as the admin super user): a
 * SCRAM-SHA-512 credential under the identity's password and the ACLs of its role. Waits until
 * the broker itself answers with both, since the controller commits them before the broker
 * applies them, and a client that connected in between would be refused.
 */
final class BrokerUsers {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);
    private static final int ITERATIONS = 4096;

    private final Map<String, Object> adminConfig;
    private final KafkaPasswords passwords;
    private final Set<KafkaIdentity> registered = new HashSet<>();

    BrokerUsers(Map<String, Object> adminConfig, KafkaPasswords passwords) {
        this.adminConfig = adminConfig;
        this.passwords = passwords;
    }

    synchronized void register(Collection<KafkaIdentity> identities) {
        List<KafkaIdentity> fresh = identities.stream().filter(i -> !registered.contains(i)).distinct().toList();
        if (fresh.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (KafkaIdentity identity : fresh) {
                credentials.add(new UserScramCredentialUpsertion(identity.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), passwords.of(identity.name())));
                acls.addAll(identity.aclBindings());
            }
            admin.alterUserScramCredentials(credentials).all().get();
            admin.createAcls(acls).all().get();
            awaitVisible(admin, fresh, acls);
            registered.addAll(fresh);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot register Kafka identities " + fresh + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitVisible(Admin admin, List<KafkaIdentity> identities, List<AclBinding> acls)
            throws InterruptedException, ExecutionException {
        List<String> users = identities.stream().map(KafkaIdentity::name).toList();
        AclBindingFilter allAllows = new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.ALLOW));
        long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
        while (true) {
            if (credentialsVisible(admin, users) && admin.describeAcls(allAllows).values().get().containsAll(acls)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker did not apply the credentials and ACLs of " + identities
                        + " within " + VISIBLE_WITHIN);
            }
            Thread.sleep(50);
        }
    }

    private static boolean credentialsVisible(Admin admin, List<String> users)
            throws InterruptedException, ExecutionException {
        try {
            return admin.describeUserScramCredentials(users).all().get().keySet().containsAll(users);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                return false;
            }
            throw e;
        }
    }
}
