package io.netplane.events.model;

public enum CommandStatus {
    OK,
    ERROR
}
