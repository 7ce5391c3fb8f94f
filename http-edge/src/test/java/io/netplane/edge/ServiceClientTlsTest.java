package io.netplane.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceClientTlsTest {

    private static ServiceClientTls unconfigured() {
        ServiceClientTls tls = new ServiceClientTls();
        tls.cert = Optional.empty();
        tls.key = Optional.empty();
        tls.ca = Optional.empty();
        return tls;
    }

    @Test
    void plainHttpNeedsNoCertificate() {
        assertThat(unconfigured().forTarget(URI.create("http://127.0.0.1:8081"), "netplane.agent.ipam-url")).isEmpty();
    }

    @Test
    void httpsWithoutAClientCertificateIsRefusedSayingWhatToSet() {
        assertThatThrownBy(() -> unconfigured().forTarget(URI.create("https://ipam-service.netplane.svc:8080"),
                "netplane.agent.ipam-url"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("netplane.agent.ipam-url is https://ipam-service.netplane.svc:8080")
                .hasMessageContaining("NETPLANE_CLIENT_TLS_CERT")
                .hasMessageContaining("OU=operator");
    }

    @Test
    void anotherSchemeIsRefused() {
        assertThatThrownBy(() -> unconfigured().forTarget(URI.create("ipam-service:8080"), "netplane.ipam.nat-url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be an http:// or https:// address");
    }
}
