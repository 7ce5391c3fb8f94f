package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AliasTest {

    @Test
    void acceptsNames() {
        assertThat(Alias.check("db.local", "alias")).isEqualTo("db.local");
    }

    @Test
    void refusesWhitespaceAndLineBreaks() {
        assertThatThrownBy(() -> Alias.check("db\n1.2.3.4 bank", "link alias")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid link alias \"db\\n1.2.3.4 bank\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed,"
                        + " at most 253 characters");
        assertThatThrownBy(() -> Alias.check("a b", "alias")).hasMessageStartingWith("invalid alias \"a b\"");
        assertThatThrownBy(() -> Alias.check("", "alias")).hasMessageStartingWith("invalid alias \"\"");
        assertThatThrownBy(() -> Alias.check("a".repeat(254), "alias")).hasMessageStartingWith("invalid alias");
    }
}
