package io.netplane.console.feed;

import io.netplane.messaging.consume.EventConsumer;
import io.netplane.messaging.quarkus.ConsumerReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the console has read what the topics held at start: until then its picture is partial. */
@Readiness
@ApplicationScoped
public class FeedReadiness extends ConsumerReadiness {

    @Inject
    ConsoleFeed feed;

    @Override
    protected String checkName() {
        return "console-feed";
    }

    @Override
    protected EventConsumer consumer() {
        return feed.consumer();
    }
}
