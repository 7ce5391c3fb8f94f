package io.netplane.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.netplane.events.codec.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Generates the JSON Schema of each event from its record. A field is required when the record
 * refuses to decode a complete sample without it, so the schema states the record's own rule.
 * To rewrite the committed files after changing a record:
 * {@code ./mvnw -pl events test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.netplane.events.SchemaWriter -Dexec.args=events/src/main/resources/schemas}
 */
public final class SchemaWriter {

    private static final Map<EventType, NetplaneEvent> SAMPLES = EventSamples.all();

    private SchemaWriter() {
    }

    static JsonNode generate(EventType type) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(EventJson.mapper(),
                SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .without(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT);
        config.forFields().withRequiredCheck(field -> isRequired(type, field));
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(type.recordClass());
        schema.put("$id", "https://netplane.io/" + type.schemaResource());
        schema.put("title", type.recordClass().getSimpleName());
        schema.put("description", "netplane event " + type.ceType() + " on topic " + type.topic().topicName()
                + ", keyed by " + type.topic().keyDescription());
        return schema;
    }

    /** Top-level fields only: nested value types are free-form about presence. */
    private static boolean isRequired(EventType type, FieldScope field) {
        if (field.getDeclaringType().getErasedType() != type.recordClass()) {
            return false;
        }
        ObjectNode full = EventJson.mapper().valueToTree(SAMPLES.get(type));
        full.remove(field.getName());
        try {
            EventJson.decode(type.ceType(), EventJson.mapper().writeValueAsBytes(full));
            return false;
        } catch (MalformedEventException e) {
            return true;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        writeAll(Path.of(args[0]));
    }

    static void writeAll(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (EventType type : EventType.values()) {
            Path file = dir.resolve(Path.of(type.schemaResource()).getFileName());
            Files.writeString(file, EventJson.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(generate(type)) + "\n");
        }
    }
}
