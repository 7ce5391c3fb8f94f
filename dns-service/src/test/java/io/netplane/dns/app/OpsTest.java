package io.netplane.dns.app;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.netplane.dns.server.Transport;
import io.netplane.dns.support.Broker;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.Events;
import io.netplane.dns.support.Events.Endpoint;
import io.netplane.dns.support.UpstreamsResource;
import io.netplane.events.EventType;
import io.netplane.events.Topic;
import io.netplane.events.codec.CloudEvent;
import io.netplane.events.kafka.EventRecords;
import io.netplane.events.NetworkCreated;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.metrics.Dashboard;
import io.netplane.localcluster.quarkus.LocalClusterResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Health, the records listing, metrics and dead letters, against the real broker. */
@QuarkusTest
@QuarkusTestResource(LocalClusterResource.class)
@QuarkusTestResource(UpstreamsResource.class)
class OpsTest {

    @Inject
    DnsRuntime runtime;

    @Test
    void readyOnceTheViewHasCaughtUp() {
        await().atMost(Duration.ofSeconds(60)).until(runtime::caughtUp);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("dns-view"));
    }

    @Test
    void recordsListWhatAContainerResolves() {
        NetworkCreated net = Events.network(Events.newId(), "ops-" + Events.newId().substring(0, 6), "bridge", "local");
        Broker.publish(net);
        Endpoint web = new Endpoint("web", net, "172.20.0.2/16").aliases("frontend");
        Endpoint client = new Endpoint("client", net, "172.20.0.3/16");
        Broker.publish(web.allocated(), client.allocated());
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.view().endpointsOf(client.containerId).size() == 1
                && runtime.view().endpointsOf(web.containerId).size() == 1);

        given().queryParam("container", client.containerId).get("/v1/dns/records").then().statusCode(200)
                .body("container", is(client.containerId))
                .body("networks", hasItem(net.name()))
                .body("records.find { it.name == 'frontend' }.ipv4", hasItem("172.20.0.2"))
                .body("records.find { it.name == 'web.%s' }.ipv4".formatted(net.name()), hasItem("172.20.0.2"))
                .body("records.find { it.name == '%s' }.ipv4".formatted(web.shortId()), hasItem("172.20.0.2"));
    }

    @Test
    void recordsRefuseAMissingOrUnknownContainerWithAMessage() {
        given().get("/v1/dns/records").then().statusCode(400).body("message", containsString("'container'"));
        given().queryParam("container", "nope").get("/v1/dns/records").then().statusCode(404)
                .body("message", is("No such container: nope"));
    }

    @Test
    void metricsCountQueriesAnswersByRcodeAndViewSize() throws Exception {
        new Dig(runtime.port()).from("127.0.0.1").a("anything", Transport.UDP);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("netplane_dns_queries_total{transport=\"udp\"")
                .contains("netplane_dns_answers_total{rcode=\"REFUSED\",source=\"view\"")
                .contains("netplane_dns_latency_seconds_bucket")
                .contains("netplane_dns_view_endpoints");
        String refusedTimed = "netplane_dns_latency_seconds_count{rcode=\"REFUSED\",source=\"view\"} ";
        assertThat(metrics.lines().filter(l -> l.startsWith(refusedTimed))
                .mapToDouble(l -> Double.parseDouble(l.substring(refusedTimed.length()))))
                .as("the refused query's latency, under its rcode").singleElement().matches(count -> count >= 1);
        assertThat(UpstreamsResource.answering).isNotNull();
    }

    @Test
    void everyMetricTheDashboardShowsOfDnsIsExposed() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(Dashboard.exposed(metrics)).containsAll(Dashboard.read().metricsOf("dns-service"));
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicWithItsReasonAndTheFeedGoesOn() throws Exception {
        String key = "bad-" + Events.newId();
        NetworkCreated sample = Events.network(key, "x", "bridge", "local");
        CloudEvent ce = CloudEvent.of(sample, "/test");
        ProducerRecord<String, byte[]> bad = new ProducerRecord<>(Topic.ENDPOINTS.topicName(), key,
                "{not json".getBytes(StandardCharsets.UTF_8));
        ce.toHeaders().forEach((h, v) -> bad.headers().add(h, v));
        bad.headers().remove(CloudEvent.H_TYPE);
        bad.headers().add(CloudEvent.H_TYPE, EventType.ENDPOINT_ALLOCATED.ceType().getBytes(StandardCharsets.UTF_8));
        Broker.send(bad);

        AtomicReference<String> reason = new AtomicReference<>();
        try (KafkaConsumer<String, byte[]> consumer = deadLetterConsumer()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        reason.set(EventRecords.header(r.headers(), EventRecords.DLQ_REASON));
                    }
                }
                return reason.get() != null;
            });
        }
        assertThat(reason.get()).contains("dns-service");

        Endpoint after = new Endpoint("after", Events.network(Events.newId(), "n", "bridge", "local"), "172.21.0.2/16");
        Broker.publish(after.allocated());
        await().atMost(Duration.ofSeconds(60)).until(() -> !runtime.view().endpointsOf(after.containerId).isEmpty());
    }

    private static KafkaConsumer<String, byte[]> deadLetterConsumer() {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalCluster.shared().kafkaBootstrap());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = consumer.partitionsFor(Topic.DEAD_LETTER.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}
