package io.netplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.localcluster.up.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scenarios with real containers do: the docker CLI against the real dockerd of a
 * simulated host (one per host, started by the test bed, netplane as its plugin and its DNS),
 * then a look from inside the containers with busybox. Everything a test made is removed after it
 * ({@link Scenario#onCleanup}).
 */
abstract class DockerScenario extends Scenario {

    static final String NETPLANE = "netplane";

    /** The docker CLI against host's dockerd. */
    Shell.Result docker(String host, String... args) {
        return bed.docker(host).docker(args);
    }

    /** The same, failing the test with docker's output when it fails; the output, trimmed. */
    String must(String host, String... args) {
        Shell.Result r = docker(host, args);
        assertThat(r.ok()).as("docker %s on %s: %s", String.join(" ", args), host, r.output()).isTrue();
        return r.output().trim();
    }

    /** docker network create on host, removed after the test from every host that has it. */
    String network(String host, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("network", "create"));
        args.addAll(List.of(options));
        args.add(name);
        String id = must(host, args.toArray(String[]::new));
        onCleanup(() -> {
            for (String h : List.of("h1", "h2", "h3")) {
                docker(h, "network", "rm", name);
            }
        });
        return id;
    }

    /** A netplane network (`-d netplane --ipam-driver netplane`) made on host. */
    String netplaneNetwork(String host, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("-d", NETPLANE, "--ipam-driver", NETPLANE));
        args.addAll(List.of(options));
        return network(host, name, args.toArray(String[]::new));
    }

    /** docker run -d ... busybox sleep, removed after the test; the container's name. */
    String run(String host, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(options));
        args.addAll(List.of("busybox", "sleep", "100000"));
        onCleanup(() -> docker(host, "rm", "-f", name));
        must(host, args.toArray(String[]::new));
        return name;
    }

    Shell.Result exec(String host, String container, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(command));
        return docker(host, args.toArray(String[]::new));
    }

    /** The container's address on a network, as `docker inspect` tells it. */
    String address(String host, String container, String network) {
        return must(host, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}",
                container);
    }

    String mac(String host, String container, String network) {
        return must(host, "inspect", "-f", "{{(index .NetworkSettings.Networks \"" + network + "\").MacAddress}}",
                container);
    }

    /** Pings from inside a container until the first reply: the fabric may still be settling. */
    void pingSucceeds(String host, String container, String target) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Shell.Result r = exec(host, container, "ping", "-c", "1", "-W", "1", target);
            assertThat(r.ok()).as("ping %s from %s on %s: %s", target, container, host, r.output()).isTrue();
        });
    }

    boolean pingOnce(String host, String container, String target) {
        return exec(host, container, "ping", "-c", "2", "-W", "1", target).ok();
    }

    /** What busybox's nslookup answers for a name inside a container: the addresses after "Name:". */
    List<String> lookup(String host, String container, String name) {
        String out = exec(host, container, "nslookup", name).output();
        List<String> found = new ArrayList<>();
        boolean answer = false;
        for (String line : out.lines().toList()) {
            if (line.startsWith("Name:")) {
                answer = true;
            } else if (answer && line.startsWith("Address")) {
                found.add(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return found;
    }
}
