package io.netplane.bench.nat;

import io.netplane.agent.firewall.RulesetDelta;
import io.netplane.nat.ports.Allocation;
import io.netplane.nat.ports.HostPorts;
import io.netplane.nat.ports.PortAllocator;
import io.netplane.nat.ports.PortRequest;
import io.netplane.nat.rules.BridgeNetwork;
import io.netplane.nat.rules.HostFirewall;
import io.netplane.nat.rules.PublishedPort;
import io.netplane.nat.rules.Ruleset;
import io.netplane.nat.rules.RulesetCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Driver for bench/nat/run.sh: allocates and compiles the ruleset of N published ports (100
 * containers per bridge, one port each), then the delta for one more port, timing each in-process;
 * writes full.rules, delta-add.rules, delta-remove.rules and the peer's one-rule-at-a-time
 * iptables arguments (peer.args) for the first PEER ports into the output directory.
 */
public final class NatRulesetBench {

    private static final int PER_BRIDGE = 100;

    public static void main(String[] args) throws IOException {
        int ports = Integer.parseInt(args[0]);
        int peerPorts = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);

        double allocMs = median(15, () -> allocate(ports));
        HostFirewall base = firewall(ports);
        // one more container on the first bridge publishing one port: the typical single change
        List<PublishedPort> more = new ArrayList<>(base.ports());
        more.add(new PublishedPort("br-bench0000", "0.0.0.0", 9999, "tcp", "10.0.0.200", 80));
        HostFirewall plusOne = new HostFirewall("bench", base.bridges(), more);
        RulesetCompiler compiler = new RulesetCompiler();
        double compileMs = median(15, () -> compiler.compile(base));
        Ruleset full = compiler.compile(base);
        double changeMs = median(15, () -> {
            Ruleset next = compiler.compile(plusOne);
            RulesetDelta.between(full.document(), next.document());
        });
        Ruleset next = compiler.compile(plusOne);

        // the other kind of change: a port leaving (and coming back to) a range that stays in use
        List<PublishedPort> fewer = new ArrayList<>(base.ports());
        fewer.removeIf(p -> p.hostPort() == 10050);
        Ruleset minusOne = compiler.compile(new HostFirewall("bench", base.bridges(), fewer));
        // what a holder of the two documents' text only (the agent) would pay for the same delta
        double textDeltaMs = median(15, () -> RulesetDelta.between(full.document(), next.document()));

        Files.writeString(out.resolve("full.rules"), full.document());
        Files.writeString(out.resolve("delta-add.rules"), RulesetDelta.between(full.document(), next.document()));
        Files.writeString(out.resolve("delta-remove.rules"), RulesetDelta.between(next.document(), full.document()));
        Files.writeString(out.resolve("delta-inrange-remove.rules"),
                RulesetDelta.between(full.document(), minusOne.document()));
        Files.writeString(out.resolve("delta-inrange-add.rules"),
                RulesetDelta.between(minusOne.document(), full.document()));
        Files.write(out.resolve("jumps.args"), full.jumps().stream().map(NatRulesetBench::jumpArgs).toList());
        Files.write(out.resolve("peer.args"), peerArgs(compiler.compile(firewall(peerPorts))));
        Files.writeString(out.resolve("peer-full.rules"), flat(full.document()));
        String added = "-p tcp -m tcp --dport 9999 -j DNAT --to-destination 10.0.0.200:80";
        Files.writeString(out.resolve("peer-add.args"), "-t nat -A " + RulesetCompiler.DNAT_CHAIN + " " + added + "\n");
        Files.writeString(out.resolve("peer-remove.args"), "-t nat -D " + RulesetCompiler.DNAT_CHAIN + " " + added + "\n");
        Files.writeString(out.resolve("java.times"), String.format(
                "alloc_ms=%.2f%ncompile_ms=%.2f%nchange_compile_delta_ms=%.3f%ntext_delta_ms=%.3f%nrules=%d%n"
                        + "delta_add_rules=%d%n", allocMs, compileMs, changeMs, textDeltaMs,
                full.document().lines().filter(l -> l.startsWith("-A")).count(),
                RulesetDelta.between(full.document(), next.document()).lines()
                        .filter(l -> l.startsWith("-A") || l.startsWith("-I")).count()));
    }

    static HostFirewall firewall(int ports) {
        List<BridgeNetwork> bridges = new ArrayList<>();
        List<PublishedPort> published = new ArrayList<>();
        for (int i = 0; i < ports; i++) {
            int b = i / PER_BRIDGE;
            String br = String.format("br-bench%04d", b);
            if (i % PER_BRIDGE == 0) {
                bridges.add(new BridgeNetwork("n" + b, br, String.format("10.%d.%d.0/24", b / 256, b % 256), false,
                        true, true));
            }
            String ip = String.format("10.%d.%d.%d", b / 256, b % 256, 2 + i % PER_BRIDGE);
            published.add(new PublishedPort(br, "0.0.0.0", 10000 + i, "tcp", ip, 80));
        }
        return new HostFirewall("bench", bridges, published);
    }

    private static void allocate(int ports) {
        List<PortRequest> requests = new ArrayList<>(ports);
        for (int i = 0; i < ports; i++) {
            requests.add(new PortRequest("0.0.0.0", 32768, 60999, "tcp", 80));
        }
        List<Allocation> given = new PortAllocator().allocate(requests, new HostPorts(), new HashMap<>());
        if (given.size() != ports) {
            throw new IllegalStateException("allocated " + given.size());
        }
    }

    /** "table chain spec" → "-t table -A chain spec". */
    private static String jumpArgs(String jump) {
        String[] w = jump.split(" ", 3);
        return "-t " + w[0] + " -A " + w[1] + " " + w[2];
    }

    /**
     * The peer's layout, Docker's: every DNAT in the one nat chain (as in DOCKER), no chains per port
     * range. Built from our document so both hold the same rules.
     */
    private static String flat(String document) {
        StringBuilder flat = new StringBuilder();
        String dnat = RulesetCompiler.DNAT_CHAIN;
        for (String line : document.split("\n")) {
            if (line.matches(":" + dnat + "-(TCP|UDP|SCTP)-\\d+ .*")) {
                continue; // a port-range chain
            }
            if (line.startsWith("-A " + dnat + " ")) {
                continue; // the jump into a port-range chain
            }
            if (line.startsWith("-A " + dnat + "-") && line.contains(" -j DNAT ")) {
                line = "-A " + dnat + line.substring(line.indexOf(' ', 3));
            }
            flat.append(line).append('\n');
        }
        return flat.toString();
    }

    /** The peer's rules, one iptables invocation each (chains first), in Docker's flat layout. */
    private static List<String> peerArgs(Ruleset ruleset) {
        List<String> args = new ArrayList<>();
        String table = null;
        for (String line : flat(ruleset.document()).split("\n")) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith(":")) {
                args.add("-t " + table + " -N " + line.substring(1, line.indexOf(' ')));
            } else if (line.startsWith("-A")) {
                args.add("-t " + table + " " + line);
            }
        }
        ruleset.jumps().forEach(j -> args.add(jumpArgs(j)));
        return args;
    }

    /** The service runs for days: time the compiled code, after enough runs for the JIT to settle. */
    private static double median(int runs, Runnable work) {
        for (int i = 0; i < 60; i++) {
            work.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }
}
