package io.netplane.nat.ports;

/**
 * One host port wanted for one container port: either a fixed host port ({@code from == to}) or
 * any free one in {@code from..to} (a {@code -p 8000-8010:80} range, or the dynamic range).
 */
public record PortRequest(String hostIp, int from, int to, String protocol, int containerPort) {

    public boolean fixed() {
        return from == to;
    }
}
