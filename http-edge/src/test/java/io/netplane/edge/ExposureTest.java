package io.netplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExposureTest {

    @Test
    void plainHttpIsAllowedOnLoopbackOnly() {
        assertThat(Exposure.refusal("127.0.0.1", "enabled", false, false)).isEmpty();
        assertThat(Exposure.refusal("::1", "enabled", false, false)).isEmpty();
        assertThat(Exposure.refusal("localhost", "enabled", false, false)).isEmpty();
        assertThat(Exposure.refusal("0.0.0.0", "enabled", false, false)).get().asString()
                .contains("refusing to serve HTTP on 0.0.0.0 without TLS client certificates");
        assertThat(Exposure.refusal("192.0.2.11", "enabled", true, true)).isPresent();
        assertThat(Exposure.refusal("128.0.0.1", "enabled", false, false)).isPresent();
    }

    @Test
    void anyOtherAddressNeedsTlsOnlyWithATrustStoreForClientCertificates() {
        assertThat(Exposure.refusal("0.0.0.0", "disabled", true, true)).isEmpty();
        assertThat(Exposure.refusal("0.0.0.0", "disabled", true, false)).isPresent();
        assertThat(Exposure.refusal("0.0.0.0", "disabled", false, true)).isPresent();
        assertThat(Exposure.refusal("0.0.0.0", "redirect", true, true)).isPresent();
    }
}
