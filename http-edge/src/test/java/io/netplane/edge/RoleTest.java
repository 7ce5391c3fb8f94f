package io.netplane.edge;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void theSubjectsOrganizationalUnitNamesTheRole() {
        assertThat(Role.of(new X500Principal("CN=docker-cli, OU=operator, O=netplane"))).contains(Role.OPERATOR);
        assertThat(Role.of(new X500Principal("CN=viewer, OU=read-only, O=netplane"))).contains(Role.READ_ONLY);
        assertThat(Role.of(new X500Principal("CN=operator, O=netplane"))).isEmpty();
        assertThat(Role.of(new X500Principal("CN=x, OU=Operator"))).isEmpty();
    }

    @Test
    void onlyAnOperatorMayChangeAnything() {
        assertThat(Role.OPERATOR.allows("POST")).isTrue();
        assertThat(Role.OPERATOR.allows("DELETE")).isTrue();
        assertThat(Role.READ_ONLY.allows("GET")).isTrue();
        assertThat(Role.READ_ONLY.allows("HEAD")).isTrue();
        assertThat(Role.READ_ONLY.allows("POST")).isFalse();
        assertThat(Role.READ_ONLY.allows("DELETE")).isFalse();
        assertThat(Role.READ_ONLY.allows("PUT")).isFalse();
    }
}
