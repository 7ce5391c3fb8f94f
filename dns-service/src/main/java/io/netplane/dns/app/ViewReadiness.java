package io.netplane.dns.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the view has read everything the topics held at start: until then answers could be wrong. */
@Readiness
@ApplicationScoped
public class ViewReadiness implements HealthCheck {

    @Inject
    DnsRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dns-view")
                .status(runtime.caughtUp())
                .withData("endpoints", runtime.view().endpointCount())
                .withData("networks", runtime.view().networkCount())
                .withData("port", runtime.port())
                .build();
    }
}
