package io.netplane.events.model;

/** How far a host agent got with an endpoint. */
public enum EndpointState {
    /** In the kernel as desired. */
    APPLIED,
    /** The agent tried and failed; the status carries the error. */
    FAILED,
    /** Removed from the kernel after the endpoint was released. */
    REMOVED
}
