package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetworkNameTest {

    @Test
    void acceptsDockerNames() {
        assertThat(NetworkName.check("front-end_1.net")).isEqualTo("front-end_1.net");
        assertThat(NetworkName.check("a")).isEqualTo("a");
    }

    @Test
    void refusesOtherCharactersInDockersWords() {
        assertThatThrownBy(() -> NetworkName.check("a b\n-F FORWARD"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("a b\\n-F FORWARD includes invalid characters, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed");
        assertThatThrownBy(() -> NetworkName.check("-x")).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> NetworkName.check("../etc")).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> NetworkName.check("réseau")).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> NetworkName.check(" ")).hasMessage("a network needs a name");
    }

    @Test
    void refusesLongNamesWithAShortMessage() {
        String huge = "n".repeat(1 << 20);
        assertThatThrownBy(() -> NetworkName.check(huge))
                .hasMessageStartingWith("network name nnnn")
                .hasMessageEndingWith("... is too long: at most 128 characters")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThat(NetworkName.check("n".repeat(128))).hasSize(128);
    }
}
