package io.netplane.agent.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Base64;
import java.util.List;
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

    @Test
    void theDockerDnsAddressMustBeAnIpv4LiteralAndNeedsDnsService() throws Exception {
        DnsServiceLink service = DnsServiceLink.parse("127.0.0.1:5353", KEY);
        assertThat(DnsServiceLink.dockerDnsAddress("192.0.2.1", service))
                .isEqualTo(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}));
        for (String bad : List.of("", "192.0.2.1 ", "999.1.1.1", "fd00::1", "host.example", "192.0.2.1:53",
                "192.0.2")) {
            assertThatThrownBy(() -> DnsServiceLink.dockerDnsAddress(bad, service)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(DnsServiceLink.DOCKER_DNS_PROPERTY + " must be an IPv4 address")
                    .hasMessageContaining("\"" + bad + "\"");
        }
        assertThatThrownBy(() -> DnsServiceLink.dockerDnsAddress("192.0.2.1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(DnsServiceLink.DOCKER_DNS_PROPERTY + " is set but netplane.agent.dns-service is not");
    }
}
