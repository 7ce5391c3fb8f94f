package io.netplane.bench.nat;

import io.netplane.agent.firewall.Firewall;
import io.netplane.agent.firewall.IptablesRunner;
import io.netplane.agent.firewall.RulesetDelta;
import io.netplane.agent.firewall.RulesetPolicy;
import io.netplane.agent.trust.RecordCheck;
import io.netplane.events.NatRuleset;
import io.netplane.events.codec.EventJson;
import io.netplane.nat.apply.HostRulesets;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;

/**
 * Driver for bench/nat/run.sh: allocates and compiles the ruleset of N published ports (100
 * containers per bridge, one port each), then the delta for one more port, timing each in-process;
 * writes full.rules, the delta files and the peer's one-rule-at-a-time iptables arguments
 * (peer.args) for the first PEER ports into the output directory. Given two namespaces (run.sh
 * makes them), it then times the host agent's own path for one port changed ({@link Firewall}
 * applying a new revision, and the same from the record's bytes through decoding and
 * {@link RecordCheck}) beside Docker's {@code iptables -A}/{@code -D} in its one-chain layout,
 * both run through the agent's {@link IptablesRunner}; it writes agent.times.
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
        if (args.length > 4) {
            agentPath(Path.of(args[3]), Path.of(args[4]), full, next, minusOne, out);
        }
        Files.writeString(out.resolve("java.times"), String.format(
                "alloc_ms=%.2f%ncompile_ms=%.2f%nchange_compile_delta_ms=%.3f%ntext_delta_ms=%.3f%nrules=%d%n"
                        + "delta_add_rules=%d%n", allocMs, compileMs, changeMs, textDeltaMs,
                full.document().lines().filter(l -> l.startsWith("-A")).count(),
                RulesetDelta.between(full.document(), next.document()).lines()
                        .filter(l -> l.startsWith("-A") || l.startsWith("-I")).count()));
    }

    private static final int ROUNDS = 11;

    /**
     * One port changed on a host of the full ruleset, through the agent's Firewall in namespace
     * {@code ns}: a port added to and removed from a range in use, a port opening and closing a range;
     * the same changes re-applying the whole document (before); Docker's -A/-D in {@code peerNs}.
     */
    private static void agentPath(Path ns, Path peerNs, Ruleset full, Ruleset next, Ruleset minusOne, Path out)
            throws IOException {
        IptablesRunner runner = new IptablesRunner(60);
        Firewall firewall = new Firewall(runner);
        List<String> jumps = full.jumps();
        long t0 = System.nanoTime();
        firewall.apply(ns, full.document(), jumps);
        double wholeFirst = (System.nanoTime() - t0) / 1e6;
        double[] inAdd = new double[ROUNDS];
        double[] inRemove = new double[ROUNDS];
        double[] newAdd = new double[ROUNDS];
        double[] newRemove = new double[ROUNDS];
        double[] eventAdd = new double[ROUNDS];
        double[] eventRemove = new double[ROUNDS];
        // the parts of the event path, per round: decode, RecordCheck, applyRevision (port added, removed)
        double[][] addParts = new double[3][ROUNDS];
        double[][] removeParts = new double[3][ROUNDS];
        byte[] fullRecord = record(full, 1);
        byte[] minusRecord = record(minusOne, 2);
        for (int i = 0; i < ROUNDS; i++) {
            inRemove[i] = ms(() -> firewall.applyRevision(ns, minusOne.document(), jumps));
            inAdd[i] = ms(() -> firewall.applyRevision(ns, full.document(), jumps));
            newAdd[i] = ms(() -> firewall.applyRevision(ns, next.document(), jumps));
            newRemove[i] = ms(() -> firewall.applyRevision(ns, full.document(), jumps));
            // from the record's bytes as the agent's feed receives them: decoded, checked, applied
            int round = i;
            eventRemove[i] = ms(() -> fromRecord(firewall, ns, minusRecord, removeParts, round));
            eventAdd[i] = ms(() -> fromRecord(firewall, ns, fullRecord, addParts, round));
        }
        double[] wholeAdd = new double[5];
        double[] wholeRemove = new double[5];
        for (int i = 0; i < wholeAdd.length; i++) {
            wholeRemove[i] = ms(() -> firewall.apply(ns, minusOne.document(), jumps));
            wholeAdd[i] = ms(() -> firewall.apply(ns, full.document(), jumps));
        }
        String wholeSaved = firewall.ownRules(ns);
        firewall.applyRevision(ns, minusOne.document(), jumps);
        firewall.applyRevision(ns, full.document(), jumps);
        if (!firewall.ownRules(ns).equals(wholeSaved)) {
            throw new IllegalStateException("deltas left other rules than the whole document");
        }

        // where an apply's time goes, in process: the delta, its policy check; the rest is the process
        double deltaMs = median(15, () -> RulesetDelta.between(full.document(), minusOne.document()));
        String delta = RulesetDelta.between(full.document(), minusOne.document());
        double deltaCheckMs = median(15, () -> RulesetPolicy.check(delta, List.of()));
        double decodeMs = median(15, () -> EventJson.decode(fullRecord, NatRuleset.class));
        NatRuleset decoded = EventJson.decode(fullRecord, NatRuleset.class);
        double recordCheckMs = median(15, () -> RecordCheck.check(decoded));

        // Docker: every DNAT in one nat chain; a port published is `iptables -A`, removed `iptables -D` by spec
        runner.must(peerNs, List.of("iptables-restore", "--noflush"), flat(full.document()));
        List<String> spec = List.of("-p", "tcp", "-m", "tcp", "--dport", "9999", "-j", "DNAT", "--to-destination",
                "10.0.0.200:80");
        double[] peerAdd = new double[ROUNDS];
        double[] peerRemove = new double[ROUNDS];
        double[] spawn = new double[ROUNDS];
        double[] emptyRestore = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            peerAdd[i] = ms(() -> runner.must(peerNs, iptables("-A", spec), null));
            peerRemove[i] = ms(() -> runner.must(peerNs, iptables("-D", spec), null));
            spawn[i] = ms(() -> runner.must(ns, List.of("true"), null));
            emptyRestore[i] = ms(() -> runner.must(ns, List.of("iptables-restore", "--noflush"), "*nat\nCOMMIT\n"));
        }
        Files.writeString(out.resolve("agent.times"), String.format(Locale.ROOT, String.join("%n",
                "agent_whole_first_ms=%.2f", "agent_in_add_ms=%.2f", "agent_in_remove_ms=%.2f",
                "agent_new_add_ms=%.2f", "agent_new_remove_ms=%.2f", "agent_event_add_ms=%.2f",
                "agent_event_remove_ms=%.2f", "agent_event_add_parts=\"%.2f %.2f %.2f\"",
                "agent_event_remove_parts=\"%.2f %.2f %.2f\"", "agent_whole_add_ms=%.2f", "agent_whole_remove_ms=%.2f",
                "agent_delta_ms=%.3f", "agent_delta_check_ms=%.3f", "agent_decode_ms=%.3f", "agent_record_check_ms=%.3f",
                "peer_add_ms=%.2f", "peer_remove_ms=%.2f", "spawn_ms=%.2f", "empty_restore_ms=%.2f", ""),
                wholeFirst, median(inAdd), median(inRemove), median(newAdd), median(newRemove), median(eventAdd),
                median(eventRemove), median(addParts[0]), median(addParts[1]), median(addParts[2]),
                median(removeParts[0]), median(removeParts[1]), median(removeParts[2]), median(wholeAdd), median(wholeRemove), deltaMs, deltaCheckMs, decodeMs,
                recordCheckMs, median(peerAdd), median(peerRemove), median(spawn), median(emptyRestore)));
    }

    private static List<String> iptables(String command, List<String> spec) {
        List<String> args = new ArrayList<>(List.of("iptables", "--wait", "-t", "nat", command,
                RulesetCompiler.DNAT_CHAIN));
        args.addAll(spec);
        return args;
    }

    private static byte[] record(Ruleset ruleset, long revision) {
        return EventJson.encode(new NatRuleset("bench", revision, Instant.now(), NatRuleset.SCHEMA_VERSION,
                ruleset.document(), ruleset.chains(), ruleset.jumps(), HostRulesets.bindings(ruleset)));
    }

    private static void fromRecord(Firewall firewall, Path ns, byte[] record, double[][] parts, int round) {
        long t0 = System.nanoTime();
        NatRuleset event = EventJson.decode(record, NatRuleset.class);
        long t1 = System.nanoTime();
        RecordCheck.check(event);
        long t2 = System.nanoTime();
        firewall.applyRevision(ns, event.document(), event.jumps());
        parts[0][round] = (t1 - t0) / 1e6;
        parts[1][round] = (t2 - t1) / 1e6;
        parts[2][round] = (System.nanoTime() - t2) / 1e6;
    }

    private static double ms(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
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
