package io.netplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.events.codec.CloudEvent;
import io.netplane.events.codec.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void cloudEventHeadersRoundTrip() {
        NetplaneEvent event = EventSamples.all().get(EventType.NETWORK_CREATED);
        CloudEvent ce = CloudEvent.of(event, "/netplane/ipam-service");
        Map<String, byte[]> headers = ce.toHeaders();
        assertThat(new String(headers.get("ce_type"), StandardCharsets.UTF_8)).isEqualTo("io.netplane.NetworkCreated");
        assertThat(new String(headers.get("ce_specversion"), StandardCharsets.UTF_8)).isEqualTo("1.0");
        assertThat(headers).containsKeys("ce_id", "ce_source", "ce_time", "content-type");
        assertThat(CloudEvent.fromHeaders(headers::get)).isEqualTo(ce);
    }

    @Test
    void recordWithoutCloudEventsHeadersIsMalformed() {
        assertThatThrownBy(() -> CloudEvent.fromHeaders(name -> null))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("ce_specversion");
    }

    @Test
    void garbageUnknownTypesAndMissingFieldsAreMalformedWithAReason() {
        assertThatThrownBy(() -> EventJson.decode("io.netplane.NetworkCreated", "{not json".getBytes()))
                .isInstanceOf(MalformedEventException.class);
        assertThatThrownBy(() -> EventJson.decode("io.netplane.Nope", "{}".getBytes()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("unknown event type");
        assertThatThrownBy(() -> EventJson.decode("io.netplane.NetworkRemoved",
                "{\"revision\":1,\"time\":\"2026-01-01T00:00:00Z\"}".getBytes()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("networkId is required");
    }

    @Test
    void revisionGateAdmitsOnlyNewer() {
        RevisionGate gate = new RevisionGate();
        assertThat(gate.admit("n1", 2)).isTrue();
        assertThat(gate.admit("n1", 2)).isFalse();
        assertThat(gate.admit("n1", 1)).isFalse();
        assertThat(gate.admit("n1", 3)).isTrue();
        assertThat(gate.admit("n2", 1)).isTrue();
        assertThat(gate.newestRevision("n1")).isEqualTo(3);
    }
}
