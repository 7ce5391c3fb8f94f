package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerNameTest {

    @Test
    void acceptsDockerNames() {
        assertThat(ContainerName.check("web_1.a-b")).isEqualTo("web_1.a-b");
    }

    @Test
    void refusesInDockersWords() {
        assertThatThrownBy(() -> ContainerName.check("a/../b"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("Invalid container name (a/../b), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> ContainerName.check("x")).hasMessageContaining("only [a-zA-Z0-9]");
        assertThatThrownBy(() -> ContainerName.check(null)).hasMessage(
                "Invalid container name (), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        assertThatThrownBy(() -> ContainerName.check("c".repeat(129))).hasMessageEndingWith(": at most 128 characters");
    }
}
