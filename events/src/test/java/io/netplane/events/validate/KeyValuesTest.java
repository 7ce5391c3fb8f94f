package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyValuesTest {

    @Test
    void acceptsOrdinaryLabels() {
        assertThat(KeyValues.check(Map.of("com.example.team", "net ops"), "label")).hasSize(1);
        assertThat(KeyValues.check(null, "label")).isEmpty();
    }

    @Test
    void boundsSizesAndCount() {
        assertThatThrownBy(() -> KeyValues.check(Map.of("big", "x".repeat(1 << 20)), "label"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("label big is too long: at most 2048 characters");
        assertThatThrownBy(() -> KeyValues.check(Map.of("k".repeat(129), "v"), "option"))
                .hasMessageStartingWith("invalid option name \"kkk").hasMessageEndingWith("it needs 1 to 128 characters");
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 33; i++) {
            many.put("k" + i, "v");
        }
        assertThatThrownBy(() -> KeyValues.check(many, "label")).hasMessage("too many labels: 33, at most 32");
    }

    @Test
    void refusesControlCharacters() {
        assertThatThrownBy(() -> KeyValues.check(Map.of("k", "a\nb"), "option"))
                .hasMessage("invalid option k=a\\nb: control characters such as line breaks are not allowed");
    }
}
