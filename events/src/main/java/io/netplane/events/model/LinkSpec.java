package io.netplane.events.model;

/** A requested legacy link, {@code --link name[:alias]}; alias defaults to the name. */
public record LinkSpec(String name, String alias) {
}
