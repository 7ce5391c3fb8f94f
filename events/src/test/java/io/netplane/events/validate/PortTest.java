package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortTest {

    @Test
    void acceptsTheRange() {
        assertThat(Port.check(1, "hostPort")).isEqualTo(1);
        assertThat(Port.check(65535, "containerPort")).isEqualTo(65535);
    }

    @Test
    void refusesInDockersWords() {
        assertThatThrownBy(() -> Port.check(99999, "hostPort")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid hostPort: 99999");
        assertThatThrownBy(() -> Port.check(0, "containerPort")).hasMessage("invalid containerPort: 0");
        assertThatThrownBy(() -> Port.check(-1, "hostPort")).hasMessage("invalid hostPort: -1");
        assertThatThrownBy(() -> Port.check(65536, "hostPort")).hasMessage("invalid hostPort: 65536");
    }
}
