package io.netplane.edge;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** Stops a service from starting when its HTTP port would be open to the network without client certificates. */
@ApplicationScoped
public class ExposureGuard {

    void check(@Observes StartupEvent start) {
        Config c = ConfigProvider.getConfig();
        Exposure.refusal(
                c.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"),
                c.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled"),
                anyNamed(c, "quarkus.tls.key-store."),
                anyNamed(c, "quarkus.tls.trust-store."))
                .ifPresent(why -> {
                    throw new IllegalStateException(why);
                });
    }

    private static boolean anyNamed(Config c, String prefix) {
        return StreamSupport.stream(c.getPropertyNames().spliterator(), false).anyMatch(n -> n.startsWith(prefix));
    }
}
