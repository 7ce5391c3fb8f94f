package io.netplane.dns.app;

import io.netplane.dns.feed.ViewFeed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the view feed's thread runs. A feed waiting out a broker outage stays live; one whose
 * thread ended never updates the view again, so the service must be restarted: DOWN.
 */
@Liveness
@ApplicationScoped
public class ViewLiveness implements HealthCheck {

    @Inject
    DnsRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        ViewFeed feed = runtime.feed();
        return HealthCheckResponse.named("dns-view-feed").status(feed.alive())
                .withData("feed", feed.alive() ? "running"
                        : "stopped: " + feed.death().map(Throwable::toString).orElse("closed"))
                .build();
    }
}
