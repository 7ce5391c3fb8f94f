package io.netplane.agent.docker;

/** A call the plugin refuses or cannot complete; the message goes to Docker's user as it is. */
final class PluginError extends RuntimeException {

    PluginError(String message) {
        super(message);
    }

    PluginError(String message, Throwable cause) {
        super(message, cause);
    }
}
