package io.netplane.bench.dns;

import io.netplane.events.EndpointAllocated;
import io.netplane.events.NetworkCreated;
import io.netplane.events.kafka.EventRecords;
import io.netplane.localcluster.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sets up the DNS benchmark: a private local cluster, one user-defined network with N containers
 * published as real events, and for the peer the same names in a hosts file for dnsmasq. Writes
 * into WORKDIR: {@code bootstrap} (Kafka), {@code hosts}, {@code queries} (dnsperf input, the
 * same for both servers), {@code asker} (the first container's address, which dnsperf asks from),
 * then {@code ready}; keeps the cluster up until its standard input closes.
 *
 * <p>The containers' addresses are loopback ones (127.18.0.0/16: all of 127/8 is local on Linux),
 * so a client on this machine can send from the first container's address and dns-service knows
 * it by its source address, as it knows a container querying it without a host agent's stub. A
 * signed identity option cannot be replayed by dnsperf: it covers the message id and the time.
 *
 * <p>Usage: {@code DnsBenchSetup WORKDIR CONTAINERS QUERIES}
 */
public final class DnsBenchSetup {

    private static final String NETWORK = "benchnet";

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int containers = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        try (LocalCluster cluster = LocalCluster.start(work.resolve("cluster"))) {
            List<String[]> names = publish(cluster.kafkaBootstrap(), containers, work);
            writeQueries(work.resolve("queries"), names, queries);
            Files.writeString(work.resolve("bootstrap"), cluster.kafkaBootstrap());
            Files.writeString(work.resolve("ready"), "ready\n");
            System.out.println("bench cluster ready at " + cluster.kafkaBootstrap());
            while (System.in.read() >= 0) {
                // hold the cluster until run.sh closes our stdin
            }
        }
    }

    /** Publishes the network and its containers; returns for each container {address, name, name.net, shortId}. */
    private static List<String[]> publish(String bootstrap, int containers, Path work) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        List<String[]> names = new ArrayList<>();
        StringBuilder hosts = new StringBuilder();
        String networkId = id();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            Instant now = Instant.now();
            producer.send(EventRecords.toRecord(new NetworkCreated(networkId, 1, now, 1, NETWORK, "bridge", "local",
                    false, false, false, false, List.of(), Map.of(), Map.of(), null, 1500, true, now), "/bench"));
            for (int i = 0; i < containers; i++) {
                String containerId = id();
                String shortId = containerId.substring(0, 12);
                String name = "c" + i;
                String address = "127.18." + ((i + 2) / 256) + "." + ((i + 2) % 256);
                producer.send(EventRecords.toRecord(new EndpointAllocated(id(), 1, now, 1, containerId, name, shortId,
                        "h1", "create", "h1-" + name, networkId, NETWORK, "bridge", "eth0", "02:42:ac:12:00:02",
                        address + "/16", "127.18.0.1", null, 1500, List.of(), List.of(name, shortId), List.of(),
                        true, false, List.of(), List.of(), false), "/bench"));
                names.add(new String[] {address, name, name + "." + NETWORK, shortId});
                hosts.append(address).append(' ').append(name).append(' ').append(name).append('.').append(NETWORK)
                        .append(' ').append(shortId).append('\n');
                if (i == 0) {
                    Files.writeString(work.resolve("asker"), address);
                }
            }
            producer.flush();
        }
        Files.writeString(work.resolve("hosts"), hosts);
        return names;
    }

    private static void writeQueries(Path file, List<String[]> names, int count) throws IOException {
        Random random = new Random(1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String[] c = names.get(random.nextInt(names.size()));
            out.append(c[1 + random.nextInt(3)]).append(" A\n");
        }
        Files.writeString(file, out);
    }

    private static String id() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }
}
