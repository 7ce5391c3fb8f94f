package io.netplane.agent.docker;

import java.net.URI;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/**
 * Where the plugin serves ({@code netplane.agent.docker.plugin-socket}), where it keeps its state
 * ({@code netplane.agent.docker.state-file}, default {@code <plugin-socket>.state.json}), this host's
 * dockerd ({@code netplane.agent.docker.engine}, e.g. {@code unix:///run/netplane/docker/NS/docker.sock};
 * null: no engine sync) and ipam-service ({@code netplane.agent.ipam-url}, with {@code ipamTls} for an
 * https address, null for http).
 */
public record DockerSettings(Path pluginSocket, Path stateFile, String engine, URI ipamUrl, SSLContext ipamTls) {

    public DockerSettings(Path pluginSocket, Path stateFile, String engine, URI ipamUrl) {
        this(pluginSocket, stateFile, engine, ipamUrl, null);
    }

    public DockerSettings {
        if (pluginSocket == null) {
            throw new IllegalArgumentException("netplane.agent.docker.plugin-socket is required for the Docker plugin");
        }
        if (ipamUrl == null) {
            throw new IllegalArgumentException("netplane.agent.ipam-url is required for the Docker plugin:"
                    + " its IPAM asks ipam-service");
        }
        if (stateFile == null) {
            stateFile = Path.of(pluginSocket + ".state.json");
        }
        if (engine != null && !engine.startsWith("unix:///") && !engine.startsWith("tcp://")) {
            throw new IllegalArgumentException("invalid netplane.agent.docker.engine " + engine
                    + ": give unix:///path/to/docker.sock or tcp://host:port");
        }
    }
}
