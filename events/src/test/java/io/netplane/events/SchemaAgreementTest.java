package io.netplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.netplane.events.codec.EventJson;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every event record and its published JSON Schema agree: the committed schema is exactly what
 * the record generates, a real instance validates against it, and a field the schema marks
 * required is one the record refuses to decode without (and no other).
 */
class SchemaAgreementTest {

    private static final ObjectMapper JSON = EventJson.mapper();
    private static final Map<EventType, NetplaneEvent> SAMPLES = EventSamples.all();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void committedSchemaIsWhatTheRecordGenerates(EventType type) throws IOException {
        JsonNode committed = committedSchema(type);
        JsonNode generated = SchemaWriter.generate(type);
        assertThat(committed)
                .as("%s is stale; regenerate it with SchemaWriter (see its javadoc)",
                        type.schemaResource())
                .isEqualTo(generated);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void sampleValidatesAgainstSchemaAndRoundTrips(EventType type) throws IOException {
        NetplaneEvent sample = SAMPLES.get(type);
        byte[] json = EventJson.encode(sample);
        Set<ValidationMessage> errors = validator(type).validate(JSON.readTree(json));
        assertThat(errors).isEmpty();
        assertThat(EventJson.decode(type.ceType(), json)).isEqualTo(sample);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaPropertiesAreTheRecordComponents(EventType type) throws IOException {
        Set<String> properties = new HashSet<>();
        committedSchema(type).get("properties").fieldNames().forEachRemaining(properties::add);
        Set<String> components = Arrays.stream(type.recordClass().getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
        assertThat(properties).isEqualTo(components);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void requiredInSchemaExactlyWhenTheRecordRefusesToDecodeWithoutIt(EventType type) throws IOException {
        JsonNode schema = committedSchema(type);
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        ObjectNode full = (ObjectNode) JSON.readTree(EventJson.encode(SAMPLES.get(type)));
        for (Iterator<String> it = full.fieldNames(); it.hasNext();) {
            String field = it.next();
            ObjectNode without = full.deepCopy();
            without.remove(field);
            byte[] json = JSON.writeValueAsBytes(without);
            boolean schemaAccepts = validator(type).validate(without).isEmpty();
            if (required.contains(field)) {
                assertThat(schemaAccepts).as("schema must reject %s without %s", type, field).isFalse();
                assertThatThrownBy(() -> EventJson.decode(type.ceType(), json))
                        .as("record must reject %s without %s", type, field)
                        .isInstanceOf(MalformedEventException.class);
            } else {
                assertThat(schemaAccepts).as("schema must accept %s without %s", type, field).isTrue();
                assertThat(EventJson.decode(type.ceType(), json)).isNotNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventCarriesTheCommonFields(EventType type) {
        Set<String> names = Stream.of(type.recordClass().getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
        assertThat(names).contains("revision", "time", "schemaVersion");
        NetplaneEvent sample = SAMPLES.get(type);
        assertThat(sample.aggregateId()).isNotBlank();
    }

    private static JsonNode committedSchema(EventType type) throws IOException {
        try (InputStream in = SchemaAgreementTest.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            assertThat(in).as("missing %s", type.schemaResource()).isNotNull();
            return JSON.readTree(in);
        }
    }

    private static JsonSchema validator(EventType type) throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(committedSchema(type));
    }
}
