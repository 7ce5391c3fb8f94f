package io.netplane.dns.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.dns.server.Transport;
import io.netplane.dns.support.Dig;
import io.netplane.dns.support.FakeUpstream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The forwarder against fake upstreams on loopback, over real UDP and TCP. */
class ForwarderTest {

    /** Only for upstreams that never answer; others get a budget a loaded machine always meets. */
    private static final Duration NO_ANSWER = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static Record question(String name) throws Exception {
        return Record.newRecord(Name.fromString(name), Type.A, DClass.IN);
    }

    private static Message ask(Forwarder f, String name, Transport t) throws Exception {
        return f.forward(question(name), t).get(30, TimeUnit.SECONDS);
    }

    private static void assertTriedOnceEachInOrder(FakeUpstream first, FakeUpstream second) {
        assertThat(first.queries()).as("queries to the first upstream").isEqualTo(1);
        assertThat(second.queries()).as("queries to the second upstream").isEqualTo(1);
        assertThat(first.firstQuery()).as("the first upstream is asked before the second").isLessThan(second.firstQuery());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servfailWhenNoUpstreamAnswers(Transport transport) throws Exception {
        try (FakeUpstream a = FakeUpstream.silent(); FakeUpstream b = FakeUpstream.silent()) {
            Forwarder f = new Forwarder(List.of(a.socketAddress(), b.socketAddress()), NO_ANSWER, 10, 100);
            assertThat(ask(f, FakeUpstream.OUTSIDE_NAME, transport).getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertTriedOnceEachInOrder(a, b);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servfailFromOneUpstreamMovesOnToTheNext(Transport transport) throws Exception {
        try (FakeUpstream bad = FakeUpstream.failing(); FakeUpstream good = FakeUpstream.answering()) {
            Forwarder f = new Forwarder(List.of(bad.socketAddress(), good.socketAddress()), TIMEOUT, 10, 100);
            Message answer = ask(f, FakeUpstream.OUTSIDE_NAME, transport);
            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(Dig.addresses(answer)).containsExactly(FakeUpstream.OUTSIDE_ADDRESS);
            assertTriedOnceEachInOrder(bad, good);
        }
    }

    @Test
    void nxdomainIsRelayedNotRetried() throws Exception {
        try (FakeUpstream first = FakeUpstream.answering(); FakeUpstream second = FakeUpstream.answering()) {
            Forwarder f = new Forwarder(List.of(first.socketAddress(), second.socketAddress()), TIMEOUT, 10, 100);
            assertThat(ask(f, "nowhere.test.", Transport.UDP).getRcode()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(second.queries()).isZero();
        }
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        try (FakeUpstream up = FakeUpstream.answering()) {
            Forwarder f = new Forwarder(List.of(up.socketAddress()), TIMEOUT, 10, 100);
            Message first = ask(f, FakeUpstream.OUTSIDE_NAME, Transport.UDP);
            Message second = ask(f, FakeUpstream.OUTSIDE_NAME.toUpperCase(), Transport.UDP);
            assertThat(up.queries()).isEqualTo(1);
            assertThat(Dig.addresses(second)).isEqualTo(Dig.addresses(first));
            assertThat(second.getSection(org.xbill.DNS.Section.ANSWER).get(0).getTTL()).isBetween(1L, 300L);
            assertThat(f.cacheSize()).isEqualTo(1);
        }
    }

    @Test
    void noUpstreamsMeansServfail() throws Exception {
        Forwarder f = new Forwarder(List.of(), TIMEOUT, 10, 100);
        assertThat(ask(f, FakeUpstream.OUTSIDE_NAME, Transport.UDP).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void upstreamSpecsAndResolvConf() throws Exception {
        assertThat(Upstreams.parse("192.0.2.1").getPort()).isEqualTo(53);
        assertThat(Upstreams.parse("127.0.0.1:5300").getPort()).isEqualTo(5300);
        assertThat(Upstreams.parse("[::1]:54").getPort()).isEqualTo(54);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Upstreams.parse("dns.google"))
                .hasMessageContaining("not an IP address");
        java.nio.file.Path conf = java.nio.file.Files.createTempFile("resolv", ".conf");
        try {
            java.nio.file.Files.writeString(conf, "search example\nnameserver 192.0.2.1\nnameserver 192.0.2.2\n"
                    + "nameserver fe80::1%eth0\nnameserver 192.0.2.4\n");
            assertThat(Upstreams.fromResolvConf(conf)).extracting(a -> a.getAddress().getHostAddress())
                    .containsExactly("192.0.2.1", "192.0.2.2", "fe80:0:0:0:0:0:0:1");
        } finally {
            java.nio.file.Files.delete(conf);
        }
    }
}
