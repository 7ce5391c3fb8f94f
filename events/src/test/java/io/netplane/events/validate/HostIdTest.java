package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostIdTest {

    @Test
    void acceptsNames() {
        assertThat(HostId.check("node-1.example")).isEqualTo("node-1.example");
    }

    @Test
    void refusesPathsAndBlanks() {
        assertThatThrownBy(() -> HostId.check("../x")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid host id \"../x\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 63 characters");
        assertThatThrownBy(() -> HostId.check("a/b")).hasMessageStartingWith("invalid host id");
        assertThatThrownBy(() -> HostId.check("h".repeat(64))).hasMessageStartingWith("invalid host id");
        assertThatThrownBy(() -> HostId.check("")).hasMessage("hostId is required: name the host the container runs on");
    }
}
