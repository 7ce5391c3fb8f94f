package io.netplane.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.netplane.events.model.Link;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxFilesTest {

    @TempDir
    Path root;

    @Test
    void writesTheHostsResolvConfHostsWithLinksAndHostnameOnTheDefaultBridge() throws Exception {
        Path hostResolv = Files.writeString(root.resolve("host-resolv.conf"),
                "search example.org\nnameserver 127.0.0.1\nnameserver 192.0.2.53\nnameserver ::1\noptions edns0\n");
        SandboxFiles files = new SandboxFiles(root.resolve("netns"), root.resolve("owners"),
                new HostResolvConf(hostResolv));
        var identity = new SandboxFiles.Identity("8a1b2c3d4e5f", List.of("172.17.0.3/16"),
                List.of(new Link("test1", "db", "c1", "0f1e2d3c4b5a", "172.17.0.2/16"),
                        new Link("redis", "redis", "c2", "aaaabbbbcccc", "172.17.0.4/16")), false);
        assertThat(files.write("sb", identity)).isTrue();
        assertThat(Files.readString(root.resolve("netns/sb/resolv.conf")))
                .isEqualTo("search example.org\nnameserver 192.0.2.53\noptions edns0\n");
        String hosts = Files.readString(root.resolve("netns/sb/hosts"));
        assertThat(hosts).startsWith("127.0.0.1\tlocalhost\n")
                .contains("172.17.0.2\tdb 0f1e2d3c4b5a test1\n")
                .contains("172.17.0.4\tredis aaaabbbbcccc\n")
                .endsWith("172.17.0.3\t8a1b2c3d4e5f\n");
        assertThat(files.write("sb", identity)).isFalse();

        Files.writeString(hostResolv, "nameserver 127.0.0.53\n");
        assertThat(files.write("sb", identity)).as("follows the host's file").isTrue();
        assertThat(Files.readString(root.resolve("netns/sb/resolv.conf")))
                .as("no nameserver a container can reach is left: Docker's defaults")
                .isEqualTo("nameserver 8.8.8.8\nnameserver 8.8.4.4\n");
    }

    @Test
    void aContainerOnAUserDefinedNetworkAsksTheEmbeddedDnsAndItsFilesGoWithIt() throws Exception {
        SandboxFiles files = new SandboxFiles(root);
        var identity = new SandboxFiles.Identity("8a1b2c3d4e5f", List.of("172.18.0.3/16"), List.of(), true);
        assertThat(files.write("sb", identity)).isTrue();
        assertThat(Files.readString(root.resolve("sb/resolv.conf"))).isEqualTo("nameserver 127.0.0.11\noptions ndots:0\n");
        assertThat(Files.readString(root.resolve("sb/hosts"))).endsWith("ff02::2\tip6-allrouters\n172.18.0.3\t8a1b2c3d4e5f\n");
        assertThat(Files.readString(root.resolve("sb/hostname"))).isEqualTo("8a1b2c3d4e5f\n");
        files.remove("sb");
        assertThat(root.resolve("sb")).doesNotExist();
    }
}
