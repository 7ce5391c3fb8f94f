package io.netplane.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class DnsIdentityTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final long NOW = 1_790_000_000L;

    private final DnsIdentity identity = DnsIdentity.fromBase64(KEY);

    @Test
    void aSignedOptionProvesItsContainerForItsQueryWithinTheWindow() {
        byte[] option = identity.sign("c0ffee", 4242, NOW);
        assertThat(identity.verify(option, 0, option.length, 4242, NOW)).isEqualTo("c0ffee");
        assertThat(identity.verify(option, 0, option.length, 4242, NOW + DnsIdentity.FRESH_SECONDS)).isEqualTo("c0ffee");
        assertThat(identity.verify(option, 0, option.length, 4242, NOW - DnsIdentity.FRESH_SECONDS)).isEqualTo("c0ffee");
    }

    @Test
    void anythingElseProvesNothing() {
        byte[] option = identity.sign("c0ffee", 4242, NOW);
        assertThat(identity.verify(option, 0, option.length, 4243, NOW)).as("another query").isNull();
        assertThat(identity.verify(option, 0, option.length, 4242, NOW + DnsIdentity.FRESH_SECONDS + 1))
                .as("stale").isNull();
        byte[] otherContainer = option.clone();
        otherContainer[otherContainer.length - 1] ^= 1;
        assertThat(identity.verify(otherContainer, 0, option.length, 4242, NOW)).as("id changed").isNull();
        byte[] bare = "c0ffee".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(identity.verify(bare, 0, bare.length, 4242, NOW)).as("the bare id").isNull();
        DnsIdentity other = DnsIdentity.fromBase64(Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
            31, 32}));
        assertThat(identity.verify(other.sign("c0ffee", 4242, NOW), 0, option.length, 4242, NOW)).as("other key")
                .isNull();
    }

    @Test
    void aHostsIdentityIsSignedAndProvedLikeAContainersAndIsNeverAContainerId() {
        String host = DnsIdentity.host("h1.example-host_2");
        assertThat(host).isEqualTo("host:h1.example-host_2");
        byte[] option = identity.sign(host, 4242, NOW);
        String proven = identity.verify(option, 0, option.length, 4242, NOW);
        assertThat(proven).isEqualTo(host);
        assertThat(DnsIdentity.isHost(proven)).isTrue();
        String longest = DnsIdentity.host("h".repeat(io.netplane.events.validate.HostId.MAX));
        byte[] longestOption = identity.sign(longest, 1, NOW);
        assertThat(identity.verify(longestOption, 0, longestOption.length, 1, NOW)).isEqualTo(longest);

        assertThat(DnsIdentity.isHost("c0ffee".repeat(10) + "c0ff")).as("a container id").isFalse();
        assertThat(DnsIdentity.isHost("host:")).as("no host id").isFalse();
        assertThat(DnsIdentity.isHost("host:../etc")).as("not a host id").isFalse();
        assertThat(DnsIdentity.isHost("HOST:h1")).isFalse();
        assertThat(DnsIdentity.isHost(null)).isFalse();
        assertThatThrownBy(() -> DnsIdentity.host("h1/x")).hasMessageContaining("invalid host id");
        assertThatThrownBy(() -> DnsIdentity.host("")).hasMessageContaining("hostId is required");
    }

    @Test
    void aKeyThatIsNotBase64OrTooShortIsRefusedWithHowToMakeOne() {
        assertThatThrownBy(() -> DnsIdentity.fromBase64("not base64!"))
                .hasMessageStartingWith("netplane.dns.identity-key is not valid base64")
                .hasMessageContaining("head -c 32 /dev/urandom | base64");
        assertThatThrownBy(() -> DnsIdentity.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageStartingWith("netplane.dns.identity-key holds 16 bytes, at least 32 are needed");
    }
}
