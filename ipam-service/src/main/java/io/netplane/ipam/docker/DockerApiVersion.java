package io.netplane.ipam.docker;

import jakarta.enterprise.context.RequestScoped;

/**
 * The Engine API version this request asked for by its "/v1.NN" prefix, or the newest when it had
 * none: Docker shows a client only the fields its version defines.
 */
@RequestScoped
public class DockerApiVersion {

    private int minor = minor(DockerSystemResource.API_VERSION);

    void set(String version) {
        minor = minor(version);
    }

    /** Whether a field added in API version {@code version} (e.g. "1.47") belongs in the answer. */
    public boolean has(String version) {
        return minor >= minor(version);
    }

    private static int minor(String version) {
        return Integer.parseInt(version.substring(version.indexOf('.') + 1));
    }
}
