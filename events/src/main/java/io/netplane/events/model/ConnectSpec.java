package io.netplane.events.model;

/** {@code network connect}: attach an existing container to a network. */
public record ConnectSpec(String container, EndpointSpec endpoint) {
}
