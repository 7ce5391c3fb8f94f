package io.netplane.bench.overlay;

import io.netplane.agent.reconcile.DesiredStateStore;
import io.netplane.agent.trust.RecordCheck;
import io.netplane.events.EndpointAllocated;
import io.netplane.events.NetplaneEvent;
import io.netplane.events.OverlayMesh;
import io.netplane.events.OverlayNetworkMesh;
import io.netplane.events.codec.EventJson;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.model.MeshNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The agents of every host, simulated by a few threads: each is a real Kafka consumer that reads
 * both topics from the beginning as an agent's feed does (every partition, no group) and stands
 * for the hosts h with h % threads == its index. A network record is decoded and checked
 * ({@link RecordCheck}) once per thread, then folded into each of its hosts' own
 * {@link DesiredStateStore}, as each agent does with the same bytes. A whole mesh (the old
 * contract) is decoded for the host it is keyed by; other hosts' whole meshes are skipped unread,
 * which spares the baseline the decoding every old agent did of every host's mesh.
 */
final class SimulatedAgents implements AutoCloseable {

    private final List<Worker> workers = new ArrayList<>();
    private final String recordsTopic;
    private final String wholeTopic;
    private volatile CountDownLatch pending = new CountDownLatch(0);
    private volatile String expectedNetwork;
    private volatile long expectedRevision = Long.MAX_VALUE;
    private volatile long expectedWholeRevision = Long.MAX_VALUE;

    SimulatedAgents(String bootstrap, String recordsTopic, String wholeTopic, int hosts, int threads) {
        this.recordsTopic = recordsTopic;
        this.wholeTopic = wholeTopic;
        for (int i = 0; i < threads; i++) {
            Map<String, DesiredStateStore> stores = new LinkedHashMap<>();
            for (int h = i; h < hosts; h += threads) {
                stores.put(Dataset.host(h), new DesiredStateStore(Dataset.host(h)));
            }
            workers.add(new Worker(bootstrap, stores, "simulated-agents-" + i));
        }
        workers.forEach(w -> w.thread.start());
    }

    /** Waits until every thread has folded {@code count} network records into its hosts' stores. */
    void awaitRecords(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (workers.stream().anyMatch(w -> w.recordsRead.get() < count)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agents did not read the " + count + " network records");
            }
            Thread.sleep(5);
        }
    }

    /** The next wait is for every host's store to hold this revision (or newer) of the endpoint's network record. */
    void expect(EndpointAllocated e, long revision) {
        pending = new CountDownLatch(hostCount());
        expectedWholeRevision = Long.MAX_VALUE;
        expectedNetwork = e.networkId();
        expectedRevision = revision;
    }

    /** The next wait is for every host to have decoded its whole mesh of this revision. */
    void expectWhole(long revision) {
        pending = new CountDownLatch(hostCount());
        expectedRevision = Long.MAX_VALUE;
        expectedWholeRevision = revision;
    }

    void awaitExpected() throws InterruptedException {
        if (!pending.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException(pending.getCount() + " hosts' agents never got the change");
        }
    }

    /** Untimed: every host's mesh, derived from its store, has the endpoint (a peer, or its own network). */
    void verifyEveryHostHas(EndpointAllocated e) {
        for (Worker w : workers) {
            w.stores.forEach((host, store) -> {
                OverlayMesh mesh = store.snapshot().mesh();
                MeshNetwork net = mesh.networks().stream().filter(n -> n.networkId().equals(e.networkId()))
                        .findFirst().orElseThrow(() -> new IllegalStateException(host + " lacks " + e.networkId()));
                boolean ok = host.equals(e.hostId())
                        || net.peers().stream().anyMatch(p -> p.endpointId().equals(e.endpointId()));
                if (!ok) {
                    throw new IllegalStateException(host + "'s mesh lacks the new endpoint " + e.endpointId());
                }
            });
        }
    }

    private int hostCount() {
        return workers.stream().mapToInt(w -> w.stores.size()).sum();
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) {
            w.running = false;
            w.consumer.wakeup();
        }
        for (Worker w : workers) {
            w.thread.join(10_000);
        }
    }

    private final class Worker {
        final KafkaConsumer<String, byte[]> consumer;
        final Map<String, DesiredStateStore> stores;
        final AtomicInteger recordsRead = new AtomicInteger();
        final Thread thread;
        volatile boolean running = true;

        Worker(String bootstrap, Map<String, DesiredStateStore> stores, String name) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(recordsTopic, wholeTopic)) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            this.stores = stores;
            thread = new Thread(this::run, name);
            thread.setDaemon(true);
        }

        void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        if (r.topic().equals(recordsTopic)) {
                            record(r);
                        } else {
                            whole(r);
                        }
                    }
                }
            } catch (WakeupException e) {
                // closing
            } finally {
                consumer.close();
            }
        }

        private void record(ConsumerRecord<String, byte[]> r) {
            NetplaneEvent event = EventRecords.decode(r);
            RecordCheck.check(event);
            OverlayNetworkMesh m = (OverlayNetworkMesh) event;
            boolean expected = m.networkId().equals(expectedNetwork) && m.revision() >= expectedRevision;
            CountDownLatch latch = pending;
            for (DesiredStateStore store : stores.values()) {
                store.apply(m);
                if (expected) {
                    latch.countDown();
                }
            }
            recordsRead.incrementAndGet();
        }

        private void whole(ConsumerRecord<String, byte[]> r) {
            if (!stores.containsKey(r.key())) {
                return;
            }
            OverlayMesh mesh = EventJson.decode(r.value(), OverlayMesh.class);
            if (mesh.revision() >= expectedWholeRevision) {
                pending.countDown();
            }
        }
    }
}
