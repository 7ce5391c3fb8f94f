package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtocolTest {

    @Test
    void knowsTcpUdpSctp() {
        assertThat(Protocol.check(null)).isEqualTo("tcp");
        assertThat(Protocol.check("UDP")).isEqualTo("udp");
        assertThat(Protocol.check("sctp")).isEqualTo("sctp");
    }

    @Test
    void refusesOthersInDockersWords() {
        assertThatThrownBy(() -> Protocol.check("icmp")).isInstanceOf(InvalidValueException.class)
                .hasMessage("invalid proto: icmp");
        assertThatThrownBy(() -> Protocol.check("tcp -j ACCEPT")).hasMessage("invalid proto: tcp -j ACCEPT");
    }
}
