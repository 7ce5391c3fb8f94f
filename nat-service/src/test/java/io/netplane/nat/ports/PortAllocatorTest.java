package io.netplane.nat.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netplane.events.model.PortSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    private final PortRequests requests = new PortRequests(PortRange.DYNAMIC);
    private final PortAllocator allocator = new PortAllocator();
    private final HostPorts taken = new HostPorts();
    private final Map<String, Integer> cursors = new HashMap<>();

    private List<Allocation> publish(PortSpec... specs) {
        return allocator.allocate(requests.expand(List.of(specs), List.of(), false), taken, cursors);
    }

    private static PortSpec p(String ip, Integer host, Integer hostEnd, int container, Integer containerEnd) {
        return new PortSpec(ip, host, hostEnd, container, containerEnd, "tcp");
    }

    @Test
    void fixedPortIsGivenAndASecondBindIsRefusedInDockersWords() {
        assertThat(publish(p(null, 8080, null, 80, null)))
                .containsExactly(new Allocation("0.0.0.0", "tcp", 8080, 80));
        assertThatThrownBy(() -> publish(p(null, 8080, null, 81, null)))
                .hasMessage("Bind for 0.0.0.0:8080 failed: port is already allocated");
    }

    @Test
    void anyAddressConflictsWithASpecificOneBothWays() {
        publish(p("127.0.0.1", 8080, null, 80, null));
        assertThatThrownBy(() -> publish(p(null, 8080, null, 80, null)))
                .hasMessage("Bind for 0.0.0.0:8080 failed: port is already allocated");
        assertThat(publish(p("10.0.0.5", 8080, null, 80, null))).hasSize(1);
        publish(p(null, 9090, null, 80, null));
        assertThatThrownBy(() -> publish(p("127.0.0.1", 9090, null, 80, null)))
                .hasMessage("Bind for 127.0.0.1:9090 failed: port is already allocated");
    }

    @Test
    void aPortAHostProcessHoldsIsRefusedAsDockersProxyFailsAndSkippedWhenDynamic() {
        taken.heldByHost("0.0.0.0", "tcp", 8080);
        taken.heldByHost("127.0.0.1", "tcp", 9090);
        taken.heldByHost("0.0.0.0", "tcp", 32768);
        assertThatThrownBy(() -> publish(p(null, 8080, null, 80, null)))
                .hasMessage("Error starting userland proxy: listen tcp4 0.0.0.0:8080: bind: address already in use");
        assertThatThrownBy(() -> publish(p("192.0.2.11", 8080, null, 80, null)))
                .hasMessage("Error starting userland proxy: listen tcp4 192.0.2.11:8080: bind: address already in use");
        assertThatThrownBy(() -> publish(p(null, 9090, null, 80, null))).hasMessageContaining("address already in use");
        assertThat(publish(p("192.0.2.11", 9090, null, 80, null))).as("another address of the host").hasSize(1);
        assertThat(publish(new PortSpec(null, 8080, null, 80, null, "udp"))).as("udp 8080 is free").hasSize(1);
        assertThat(publish(p(null, null, null, 80, null)).get(0).hostPort()).as("dynamic skips it").isEqualTo(32769);
    }

    @Test
    void protocolsDoNotConflict() {
        publish(new PortSpec(null, 53, null, 53, null, "tcp"));
        assertThat(publish(new PortSpec(null, 53, null, 53, null, "udp")))
                .containsExactly(new Allocation("0.0.0.0", "udp", 53, 53));
    }

    @Test
    void dynamicPortsStartAt32768AndFollowTheCursorNotTheLowestFree() {
        assertThat(publish(p(null, null, null, 80, null)).get(0).hostPort()).isEqualTo(32768);
        assertThat(publish(p(null, null, null, 80, null)).get(0).hostPort()).isEqualTo(32769);
        // 32768 is free again in a fresh view of taken ports, yet the cursor moves on
        HostPorts fresh = new HostPorts();
        fresh.take("0.0.0.0", "tcp", 32769);
        assertThat(allocator.allocate(requests.expand(List.of(p(null, null, null, 80, null)), List.of(), false),
                fresh, cursors).get(0).hostPort()).isEqualTo(32770);
    }

    @Test
    void dynamicSkipsTakenPortsAndWrapsAround() {
        cursors.put(PortAllocator.cursorKey("0.0.0.0", "tcp", 32768, 60999), 60998);
        taken.take("0.0.0.0", "tcp", 60999);
        taken.take("0.0.0.0", "tcp", 32768);
        assertThat(publish(p(null, null, null, 80, null)).get(0).hostPort()).isEqualTo(32769);
    }

    @Test
    void equalRangesMapOneToOne() {
        assertThat(publish(p(null, 8000, 8002, 80, 82))).containsExactly(
                new Allocation("0.0.0.0", "tcp", 8000, 80),
                new Allocation("0.0.0.0", "tcp", 8001, 81),
                new Allocation("0.0.0.0", "tcp", 8002, 82));
    }

    @Test
    void aHostRangeForOneContainerPortTakesTheNextFreeOfTheRange() {
        taken.take("0.0.0.0", "tcp", 8000);
        assertThat(publish(p(null, 8000, 8010, 80, null))).containsExactly(new Allocation("0.0.0.0", "tcp", 8001, 80));
        assertThat(publish(p(null, 8000, 8010, 80, null))).containsExactly(new Allocation("0.0.0.0", "tcp", 8002, 80));
    }

    @Test
    void aFullRangeIsRefused() {
        publish(p(null, 8000, 8001, 80, 81));
        assertThatThrownBy(() -> publish(p(null, 8000, 8001, 90, null))).hasMessage("all ports are allocated");
    }

    @Test
    void unequalRangesAreInvalid() {
        assertThatThrownBy(() -> publish(p(null, 8000, 8010, 80, 82)))
                .isInstanceOf(InvalidPortSpecException.class)
                .hasMessageContaining("invalid ranges specified for container and host Ports");
    }

    @Test
    void publishAllGivesDynamicPortsToExposedPortsNotAlreadyPublished() {
        List<PortRequest> expanded = requests.expand(List.of(p(null, 8080, null, 80, null)),
                List.of("80/tcp", "443/tcp", "53/udp"), true);
        List<Allocation> given = allocator.allocate(expanded, taken, cursors);
        assertThat(given).containsExactly(
                new Allocation("0.0.0.0", "tcp", 8080, 80),
                new Allocation("0.0.0.0", "tcp", 32768, 443),
                new Allocation("0.0.0.0", "udp", 32768, 53));
    }

    @Test
    void exposedPortsWithoutPublishAllAreNotPublished() {
        assertThat(requests.expand(List.of(), List.of("80/tcp"), false)).isEmpty();
    }

    @Test
    void badProtocolAndIpv6HostAddressAreRefusedWithAReason() {
        assertThatThrownBy(() -> requests.expand(List.of(new PortSpec(null, 80, null, 80, null, "icmp")),
                List.of(), false)).hasMessage("invalid proto: icmp");
        assertThatThrownBy(() -> requests.expand(List.of(p("::1", 80, null, 80, null)), List.of(), false))
                .hasMessageContaining("IPv4 host addresses only");
        assertThatThrownBy(() -> requests.expand(List.of(p("999.1.1.1", 80, null, 80, null)), List.of(), false))
                .hasMessageContaining("IPv4 host addresses only");
        assertThatThrownBy(() -> requests.expand(List.of(p("1.2.3.4\n-F", 80, null, 80, null)), List.of(), false))
                .hasMessageContaining("IPv4 host addresses only");
    }
}
