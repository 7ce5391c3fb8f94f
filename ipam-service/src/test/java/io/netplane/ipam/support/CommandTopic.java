package io.netplane.ipam.support;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A pipeline's side of the commands topic: send commands, read their results from the outbox. */
public final class CommandTopic {

    private static KafkaProducer<String, byte[]> producer;

    private CommandTopic() {
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put("bootstrap.servers", LocalCluster.shared().kafkaBootstrap());
            p.put("linger.ms", "0");
            p.put("acks", "all");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Sends to partition 0 so that sends are handled in the order made. */
    public static void send(NetplaneEvent event) throws Exception {
        ProducerRecord<String, byte[]> r = EventRecords.toRecord(event, "/test/pipeline");
        producer().send(new ProducerRecord<>(r.topic(), 0, r.key(), r.value(), r.headers())).get();
    }

    /** Sends a record as given, for records no codec would produce. */
    public static void sendRaw(ProducerRecord<String, byte[]> record) throws Exception {
        producer().send(record).get();
    }

    /** The payloads of the CommandResults written for {@code requestId}. */
    public static List<String> resultsFor(String requestId) {
        return Db.outbox().stream().filter(r -> r[0].endsWith("CommandResult") && r[1].equals(requestId))
                .map(r -> r[2]).toList();
    }
}
