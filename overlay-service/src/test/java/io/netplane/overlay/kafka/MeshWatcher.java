package io.netplane.overlay.kafka;

import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.kafka.EventRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads overlay-mesh from the beginning, as a host agent would, keeps the newest record per
 * network and derives a host's mesh from them. Also records every revision seen per network, to
 * check they only grow.
 */
public final class MeshWatcher implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, OverlayNetworkMesh> newest = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, OverlayNetworkMesh>> seen = new ConcurrentHashMap<>();
    private final Set<String> hostsListed = ConcurrentHashMap.newKeySet();
    private final List<String> regressions = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    private final String source;

    public MeshWatcher(String bootstrap) {
        this(bootstrap, null);
    }

    /** Watches only records published with this CloudEvents source (null: all). */
    public MeshWatcher(String bootstrap, String source) {
        this.source = source;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(Topic.OVERLAY_MESH.topicName())
                .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "mesh-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (source != null && !source.equals(EventRecords.header(r.headers(), CloudEvent.H_SOURCE))) {
                        continue;
                    }
                    NetplaneEvent e = EventRecords.decode(r);
                    OverlayNetworkMesh m = (OverlayNetworkMesh) e;
                    OverlayNetworkMesh held = newest.get(m.networkId());
                    OverlayNetworkMesh before = seen.computeIfAbsent(m.networkId(), h -> new ConcurrentHashMap<>())
                            .putIfAbsent(m.revision(), m);
                    // After a crash the outbox sends again what it sent but had not marked sent: the same
                    // record, harmless. A revision never seen below the newest one, or reused, is a regression.
                    boolean redelivered = m.equals(before);
                    if (before != null && !redelivered) {
                        regressions.add(m.networkId() + " revision " + m.revision() + " published twice, differently");
                    } else if (held != null && m.revision() < held.revision() && !redelivered) {
                        regressions.add(m.networkId() + " went from " + held.revision() + " to " + m.revision());
                    }
                    if (held != null && m.revision() <= held.revision()) {
                        continue; // a redelivered or older copy: the outbox delivers at least once
                    }
                    m.hosts().forEach(h -> hostsListed.add(h.hostId()));
                    newest.put(m.networkId(), m);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The host's mesh as its agent derives it; empty until a record has listed the host. */
    public Optional<OverlayMesh> mesh(String hostId) {
        return hostsListed.contains(hostId) ? Optional.of(OverlayMesh.of(hostId, newest.values())) : Optional.empty();
    }

    /**
     * Records that arrived with a lower revision than one already seen for the network (other than a
     * copy of one seen before), or with a revision seen before but different content.
     */
    public List<String> regressions() {
        return List.copyOf(regressions);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
