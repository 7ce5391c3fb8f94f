package io.netplane.dns.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts two fake upstreams for the Quarkus app under test: one answering SERVFAIL first and an
 * answering one second, so every forwarded query proves the retry across upstreams. (A silent
 * first upstream would prove the same at the cost of a timeout per query, and a loaded machine
 * could turn a slow answer into a failure; ForwarderTest covers timeouts.)
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    public static FakeUpstream failing;
    public static FakeUpstream answering;

    @Override
    public Map<String, String> start() {
        try {
            failing = FakeUpstream.failing();
            answering = FakeUpstream.answering();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("netplane.dns.upstreams", failing.address() + "," + answering.address());
    }

    @Override
    public void stop() {
        failing.close();
        answering.close();
    }
}
