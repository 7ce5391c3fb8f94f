package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostnameTest {

    @Test
    void acceptsRfc1123Names() {
        assertThat(Hostname.check("web-1.example.com")).isEqualTo("web-1.example.com");
        assertThat(Hostname.check("a")).isEqualTo("a");
        assertThat(Hostname.check("h".repeat(63))).hasSize(63);
    }

    @Test
    void refusesInDocker2010Words() {
        assertThatThrownBy(() -> Hostname.check("evil\n10.0.0.1 bank")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid hostname format: evil\\n10.0.0.1 bank");
        for (String bad : new String[] {"-a", "a-", "a..b", ".a", "a_b", "a b", "h".repeat(64), "é"}) {
            assertThatThrownBy(() -> Hostname.check(bad)).hasMessageStartingWith("invalid hostname format: ");
        }
        assertThatThrownBy(() -> Hostname.check("h".repeat(1 << 20)))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120));
    }
}
