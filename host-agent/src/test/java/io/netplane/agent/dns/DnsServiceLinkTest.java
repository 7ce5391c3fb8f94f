package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class DnsServiceLinkTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void addressAndKeyAreRead() {
        DnsServiceLink link = DnsServiceLink.parse("127.0.0.1:5353", KEY);
        assertThat(link.address().getPort()).isEqualTo(5353);
        assertThat(link.address().getHostString()).isEqualTo("127.0.0.1");
    }

    @Test
    void withoutAKeyOrWithABadAddressTheAgentSaysWhatToSet() {
        assertThatThrownBy(() -> DnsServiceLink.parse("127.0.0.1:5353", null))
                .hasMessageStartingWith("netplane.dns.identity-key is not set")
                .hasMessageContaining("head -c 32 /dev/urandom | base64");
        assertThatThrownBy(() -> DnsServiceLink.parse("127.0.0.1", KEY))
                .hasMessage("netplane.agent.dns-service must read address:port, not 127.0.0.1");
        assertThatThrownBy(() -> DnsServiceLink.parse("127.0.0.1:dns", KEY))
                .hasMessage("netplane.agent.dns-service must read address:port, not 127.0.0.1:dns");
    }
}
