package io.netplane.messaging.outbox;

import io.netplane.events.MalformedEventException;
import java.util.List;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/** Tells a row that will never be accepted from a failure that passes (an outage) or is not the row's. */
final class Refusals {

    /**
     * Non-retriable, but about the producer or the cluster (credentials, ACLs, a broker too old, the
     * idempotent producer's state), not about one row: dead-lettering would empty the outbox into
     * dead-letter, so these are retried like an outage until someone fixes the cause.
     */
    private static final List<Class<? extends ApiException>> NOT_THE_ROW = List.of(
            AuthenticationException.class, AuthorizationException.class, OutOfOrderSequenceException.class,
            ProducerFencedException.class, InvalidProducerEpochException.class, UnsupportedVersionException.class);

    private Refusals() {
    }

    /**
     * True for a row refused for good: too large for the producer or the topic, an invalid topic, an
     * unknown {@code ce_type}, a value that cannot be serialised. A producer aborted by close is a plain
     * KafkaException, neither retriable nor an ApiException: it is not the row's doing either.
     */
    static boolean refusedForGood(Throwable e) {
        if (e instanceof MalformedEventException || e instanceof SerializationException) {
            return true;
        }
        return e instanceof ApiException && !(e instanceof RetriableException)
                && NOT_THE_ROW.stream().noneMatch(c -> c.isInstance(e));
    }
}
