package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4AddressTest {

    @Test
    void parsesDottedQuads() {
        assertThat(Ipv4Address.parse("10.1.2.3")).isEqualTo(0x0a010203L);
        assertThat(Ipv4Address.parse("255.255.255.255")).isEqualTo(0xffffffffL);
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"999.1.1.1", "1.2.3", "1.2.3.4.5", " 1.2.3.4", "1.2.3.4\n", "a.b.c.d", "1..2.3",
                "1.2.3.4/32", "", "٣.1.1.1"}) {
            assertThat(Ipv4Address.parse(bad)).as(bad).isNull();
        }
        assertThat(Ipv4Address.parse(null)).isNull();
    }

    @Test
    void hostIpIsRefusedInDockersWords() {
        assertThat(Ipv4Address.checkHostIp("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> Ipv4Address.checkHostIp("999.1.1.1")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid IP address: 999.1.1.1");
    }
}
