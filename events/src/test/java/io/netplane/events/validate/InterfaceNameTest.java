package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterfaceNameTest {

    private static final String OPT = "com.docker.network.bridge.name";

    @Test
    void acceptsLinuxNames() {
        assertThat(InterfaceName.check("br-0123456789a", OPT)).isEqualTo("br-0123456789a");
        assertThat(InterfaceName.check("docker_gw.1@x", OPT)).isEqualTo("docker_gw.1@x");
    }

    @Test
    void refusesWhatIptablesTextOrPathsWouldMisread() {
        assertThatThrownBy(() -> InterfaceName.check("x\n-F FORWARD", OPT)).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid com.docker.network.bridge.name \"x\\n-F FORWARD\": a Linux interface name holds"
                        + " printable ASCII characters other than '/', ':' and spaces");
        for (String bad : new String[] {"a b", "a/b", "a:1", "é0", "a\tb"}) {
            assertThatThrownBy(() -> InterfaceName.check(bad, OPT)).hasMessageContaining("printable ASCII");
        }
        assertThatThrownBy(() -> InterfaceName.check("..", OPT)).hasMessageEndingWith("cannot be \".\" or \"..\"");
        assertThatThrownBy(() -> InterfaceName.check(".", OPT)).hasMessageEndingWith("cannot be \".\" or \"..\"");
        assertThatThrownBy(() -> InterfaceName.check("", OPT)).hasMessageEndingWith("has 1 to 15 characters");
        assertThatThrownBy(() -> InterfaceName.check("b".repeat(16), OPT)).hasMessageEndingWith("has 1 to 15 characters");
    }
}
