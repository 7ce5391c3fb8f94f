package io.netplane.events.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkNameTest {

    @Test
    void onlyNetplanesOwnNamesPass() {
        assertThat(LinkName.checkOwn("br-custom", "bridge")).isEqualTo("br-custom");
        assertThat(LinkName.isOwn("netplane0")).isTrue();
        assertThat(LinkName.isOwn("vx-4096")).isTrue();
        assertThat(LinkName.isOwn("docker0")).isFalse();
        assertThat(LinkName.isOwn("eth0")).isFalse();
        assertThatThrownBy(() -> LinkName.checkOwn("docker1", "com.docker.network.bridge.name"))
                .hasMessageContaining("invalid com.docker.network.bridge.name \"docker1\"")
                .hasMessageContaining("choose a name starting with br-");
        assertThatThrownBy(() -> LinkName.checkOwn("br-x\n-F", "bridge"))
                .hasMessageContaining("printable ASCII");
    }
}
