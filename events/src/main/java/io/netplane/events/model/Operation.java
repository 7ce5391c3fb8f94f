package io.netplane.events.model;

/** The operations a pipeline may ask for on the commands topic (the same as the REST API). */
public enum Operation {
    CREATE_NETWORK,
    REMOVE_NETWORK,
    PRUNE_NETWORKS,
    CREATE_CONTAINER,
    REMOVE_CONTAINER,
    CONNECT,
    DISCONNECT
}
