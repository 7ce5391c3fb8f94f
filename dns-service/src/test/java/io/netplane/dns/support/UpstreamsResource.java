package io.netplane.dns.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts two fake upstreams for the Quarkus app under test: a silent one first and an answering
 * one second, so every forwarded query proves the retry across upstreams.
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    public static FakeUpstream silent;
    public static FakeUpstream answering;

    @Override
    public Map<String, String> start() {
        try {
            silent = FakeUpstream.silent();
            answering = FakeUpstream.answering();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("netplane.dns.upstreams", silent.address() + "," + answering.address());
    }

    @Override
    public void stop() {
        silent.close();
        answering.close();
    }
}
