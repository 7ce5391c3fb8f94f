package io.netplane.localcluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Starts a private cluster, proves both servers answer, and prints one line
 * ("OK kafka=... jdbc=... dir=...") that a parent test reads. Also used in-process by tests.
 */
public final class ClusterSmoke {

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("netplane-smoke-");
        try (LocalCluster cluster = LocalCluster.start(dir)) {
            String line = check(cluster);
            System.out.println(line);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    static String check(LocalCluster cluster) throws Exception {
        String payload = UUID.randomUUID().toString();
        roundTrip(cluster.kafkaBootstrap(), "dead-letter", payload);
        try (Connection c = cluster.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            return "OK kafka=" + cluster.kafkaBootstrap() + " jdbc=" + cluster.jdbcUrl() + " db=" + rs.getString(1)
                    + " dir=" + cluster.workDir();
        }
    }

    /** Sends one record and reads it back; throws if it does not come back. */
    static void roundTrip(String bootstrap, String topic, String payload) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("max.block.ms", "30000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, payload, payload)).get();
        } catch (Exception e) {
            throw new IllegalStateException("produce failed", e);
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "smoke-" + payload);
        c.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (var r : records) {
                    if (payload.equals(r.value())) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("record " + payload + " did not come back from " + topic);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
