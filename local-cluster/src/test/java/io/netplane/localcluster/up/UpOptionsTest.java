package io.netplane.localcluster.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

    @Test
    void upstreamsGoToDnsServiceInTheOrderGiven() {
        assertThat(UpOptions.parse(List.of("--dns-upstream", "192.0.2.53", "--dns-upstream=198.51.100.1:5353"))
                .serviceConfig()).isEqualTo(Map.of(UpOptions.UPSTREAMS, "192.0.2.53,198.51.100.1:5353"));
        assertThat(UpOptions.parse(List.of()).serviceConfig()).isEmpty();
    }

    @Test
    void anythingElseIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> UpOptions.parse(List.of("--dns-upstream", "999.1.1.1")))
                .hasMessageContaining("invalid IP address: 999.1.1.1");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--dns-upstream", "1.1.1.1:99999")))
                .hasMessageContaining("invalid port: 99999");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--dns-upstream", "1.1.1.1,-Dx=y")))
                .hasMessageContaining("invalid IP address");
        assertThatThrownBy(() -> UpOptions.parse(List.of("--verbose"))).hasMessageContaining("unknown option --verbose");
    }
}
