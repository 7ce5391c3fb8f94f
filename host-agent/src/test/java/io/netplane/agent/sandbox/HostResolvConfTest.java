package io.netplane.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostResolvConfTest {

    @Test
    void loopbackNameserversAreDroppedAndTheRestKept() {
        assertThat(HostResolvConf.withoutLoopback("search lan\nnameserver 127.0.0.1\nnameserver 10.0.0.2\nnameserver ::1\n"))
                .isEqualTo("search lan\nnameserver 10.0.0.2\n");
    }

    @Test
    void noNameserverLeftGivesDockersDefaults() {
        assertThat(HostResolvConf.withoutLoopback("nameserver 127.0.0.53\noptions edns0\n"))
                .isEqualTo("options edns0\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }
}
