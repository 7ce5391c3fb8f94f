package io.netplane.agent.firewall;

import io.netplane.agent.trust.Ipv4Forms;
import io.netplane.agent.trust.RefusedRecord;
import io.netplane.events.validate.InterfaceName;
import io.netplane.events.validate.InvalidValueException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the agent agrees to apply of a {@code nat-rules} record, read as an allow-list grammar of
 * exactly what nat-service's {@code RulesetCompiler} and {@code RulesetDelta} write: the tables
 * nat and filter; declarations, appends, inserts, deletes and removals of netplane's own chains
 * only; the match options, targets and values those classes produce; and jumps only from the
 * built-in chains nat-service hooks into, only to netplane's chains. Anything else is refused
 * with the line and the reason, before the agent runs a single iptables command, because it
 * applies the document as root with {@code --noflush} on a host whose other rules are not its own.
 */
public final class RulesetPolicy {

    /** Per table, the built-in chains nat-service's jumps start from. */
    private static final Map<String, Set<String>> HOOKS = Map.of(
            "nat", Set.of("PREROUTING", "OUTPUT", "POSTROUTING"),
            "filter", Set.of("FORWARD"));
    /** Per table, the targets other than netplane's chains. */
    private static final Map<String, Set<String>> VERDICTS = Map.of(
            "nat", Set.of("DNAT", "MASQUERADE", "RETURN"),
            "filter", Set.of("ACCEPT", "DROP", "RETURN"));
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "sctp");
    private static final Set<String> CONNTRACK_STATES = Set.of("RELATED", "ESTABLISHED", "DNAT");
    private static final Set<String> NEGATABLE = Set.of("-s", "-d", "-i", "-o");
    /** iptables allows 28 characters in a chain name. */
    private static final Pattern CHAIN = Pattern.compile("NETPLANE(-[A-Z0-9]+)*");
    private static final int CHAIN_MAX = 28;
    private static final Pattern NUMBER = Pattern.compile("0|[1-9][0-9]{0,5}");
    private static final int QUOTE_MAX = 80;

    /**
     * The lines of the last document {@link #check} accepted, each as "table\nline": a line's verdict
     * depends only on its text and its table, and a new revision repeats all but a few lines of the
     * last, so only the lines not in it are read option by option (10,000 ports: 11,000 lines).
     */
    private static volatile Set<String> accepted = Set.of();

    private RulesetPolicy() {
    }

    /** Refuses, with the reason, a ruleset whose document or jumps go beyond netplane's own chains. */
    public static void check(String document, List<String> jumps) {
        Set<String> lines = checkDocument(document, accepted);
        for (String jump : jumps) {
            checkJump(jump);
        }
        accepted = lines;
    }

    static void checkDocument(String document) {
        checkDocument(document, accepted);
    }

    /** Returns the document's checked lines as "table\nline"; {@code known}: lines already accepted. */
    private static Set<String> checkDocument(String document, Set<String> known) {
        Set<String> checked = new HashSet<>();
        if (document.isEmpty()) {
            return checked;
        }
        if (!document.endsWith("\n")) {
            throw new RefusedRecord("nat-rules document does not end with a newline");
        }
        List<String> lines = Arrays.asList(document.substring(0, document.length() - 1).split("\n", -1));
        Set<String> tables = new HashSet<>();
        String table = null;
        boolean rules = false;
        for (int i = 0; i < lines.size(); i++) {
            Line line = new Line(i + 1, lines.get(i));
            String key = table + "\n" + line.text;
            boolean seen = table != null && known.contains(key);
            if (!seen) {
                line.checkCharacters();
            }
            if (line.text.isEmpty()) {
                throw line.refused("an empty line");
            }
            if (table == null) {
                if (!line.text.startsWith("*")) {
                    throw line.refused("only a table (*nat, *filter) may start here");
                }
                table = line.text.substring(1);
                if (!HOOKS.containsKey(table)) {
                    throw line.refused("table " + table + " is not one netplane uses (nat, filter)");
                }
                if (!tables.add(table)) {
                    throw line.refused("table " + table + " comes twice");
                }
                rules = false;
            } else if (line.text.equals("COMMIT")) {
                table = null;
            } else if (line.text.startsWith(":")) {
                if (rules) {
                    throw line.refused("a chain is declared after rules");
                }
                if (!seen) {
                    declaration(line);
                }
                checked.add(key);
            } else {
                rules = true;
                if (!seen) {
                    command(line, table);
                }
                checked.add(key);
            }
        }
        if (table != null) {
            throw new RefusedRecord("nat-rules document: table " + table + " has no COMMIT");
        }
        return checked;
    }

    /** A jump from a built-in chain, "table chain rule-spec", as {@link Firewall.Jump} reads it. */
    static void checkJump(String jump) {
        Line line = new Line(0, jump);
        line.checkCharacters();
        List<String> w = line.words();
        if (w.size() < 4) {
            throw line.refused("a jump reads \"table chain rule-spec\"");
        }
        Set<String> hooks = HOOKS.get(w.get(0));
        if (hooks == null) {
            throw line.refused("table " + w.get(0) + " is not one netplane uses (nat, filter)");
        }
        if (!hooks.contains(w.get(1))) {
            throw line.refused("netplane jumps into its chains only from " + hooks + " in table " + w.get(0)
                    + ", not from " + w.get(1));
        }
        String target = spec(line, w.get(0), w.subList(2, w.size()));
        if (!isChain(target)) {
            throw line.refused("a jump from a built-in chain must go to a netplane chain, not " + target);
        }
    }

    private static void declaration(Line line) {
        List<String> w = Arrays.asList(line.text.substring(1).split(" ", -1));
        chain(line, w.get(0));
        if (w.size() != 3 || !w.get(1).equals("-") || !w.get(2).equals("[0:0]")) {
            throw line.refused("a chain is declared as \":NAME - [0:0]\"");
        }
    }

    private static void command(Line line, String table) {
        List<String> w = line.words();
        String command = w.get(0);
        if (!Set.of("-A", "-I", "-D", "-X").contains(command)) {
            throw line.refused("only -A, -I, -D and -X of netplane's chains are applied, not " + command);
        }
        if (w.size() < 2) {
            throw line.refused(command + " without a chain");
        }
        chain(line, w.get(1));
        List<String> spec = w.subList(2, w.size());
        if (command.equals("-X")) {
            if (!spec.isEmpty()) {
                throw line.refused("-X takes only a chain");
            }
            return;
        }
        if (command.equals("-I") && !spec.isEmpty() && NUMBER.matcher(spec.get(0)).matches()) {
            if (spec.get(0).equals("0")) {
                throw line.refused("rule positions start at 1");
            }
            spec = spec.subList(1, spec.size());
        }
        spec(line, table, spec);
    }

    private static void chain(Line line, String name) {
        if (!isChain(name)) {
            throw line.refused("chain " + name + " is not netplane's (NETPLANE or NETPLANE-..., at most "
                    + CHAIN_MAX + " characters)");
        }
    }

    private static boolean isChain(String name) {
        return name.length() <= CHAIN_MAX && CHAIN.matcher(name).matches();
    }

    /** Checks a rule-spec option by option; returns its target. */
    private static String spec(Line line, String table, List<String> w) {
        Set<String> seen = new HashSet<>();
        Set<String> modules = new HashSet<>();
        String protocol = null;
        String target = null;
        boolean destination = false;
        int i = 0;
        while (i < w.size()) {
            boolean negated = w.get(i).equals("!");
            if (negated) {
                i++;
            }
            if (i >= w.size()) {
                throw line.refused("\"!\" at the end of the rule");
            }
            String option = w.get(i);
            if (negated && !NEGATABLE.contains(option)) {
                throw line.refused("\"!\" only negates " + NEGATABLE + ", not " + option);
            }
            if (i + 1 >= w.size()) {
                throw line.refused(option + " without a value");
            }
            String value = w.get(i + 1);
            if (target != null && !(target.equals("DNAT") && option.equals("--to-destination"))) {
                throw line.refused(option + " after the target");
            }
            if (!option.equals("-m") && !seen.add(option)) {
                throw line.refused(option + " given twice");
            }
            switch (option) {
                case "-p" -> {
                    if (!PROTOCOLS.contains(value)) {
                        throw line.refused("protocol " + value + " is not one of " + PROTOCOLS);
                    }
                    protocol = value;
                }
                case "-s", "-d" -> cidr(line, option, value);
                case "-i", "-o" -> interfaceName(line, option, value);
                case "-m" -> {
                    boolean known = value.equals("conntrack") || value.equals("addrtype")
                            || (PROTOCOLS.contains(value) && value.equals(protocol));
                    if (!known) {
                        throw line.refused("match -m " + value + " is not one netplane writes here");
                    }
                    if (!modules.add(value)) {
                        throw line.refused("-m " + value + " given twice");
                    }
                }
                case "--dport" -> {
                    if (protocol == null || !modules.contains(protocol)) {
                        throw line.refused("--dport needs -p and -m of tcp, udp or sctp before it");
                    }
                    portRange(line, value);
                }
                case "--ctstate" -> {
                    needs(line, modules, "conntrack", option);
                    for (String state : value.split(",", -1)) {
                        if (!CONNTRACK_STATES.contains(state)) {
                            throw line.refused("conntrack state " + state + " is not one of " + CONNTRACK_STATES);
                        }
                    }
                }
                case "--src-type", "--dst-type" -> {
                    needs(line, modules, "addrtype", option);
                    if (!value.equals("LOCAL")) {
                        throw line.refused(option + " " + value + ": netplane matches only LOCAL");
                    }
                }
                case "-j" -> {
                    if (!VERDICTS.get(table).contains(value) && !isChain(value)) {
                        throw line.refused("target " + value + " is not one netplane uses in table " + table
                                + " (" + VERDICTS.get(table) + " or a netplane chain)");
                    }
                    target = value;
                }
                case "--to-destination" -> {
                    if (!"DNAT".equals(target)) {
                        throw line.refused("--to-destination belongs to -j DNAT");
                    }
                    addressAndPort(line, value);
                    destination = true;
                }
                default -> throw line.refused("option " + option + " is not one nat-service writes");
            }
            i += 2;
        }
        if (target == null) {
            throw line.refused("a rule without -j");
        }
        if (target.equals("DNAT") && !destination) {
            throw line.refused("-j DNAT without --to-destination");
        }
        return target;
    }

    private static void needs(Line line, Set<String> modules, String module, String option) {
        if (!modules.contains(module)) {
            throw line.refused(option + " needs -m " + module + " before it");
        }
    }

    /** The kernel's rule, and neither "+" (iptables' wildcard: "br+" is every br interface) nor "!". */
    private static void interfaceName(Line line, String option, String name) {
        try {
            InterfaceName.check(name, option);
        } catch (InvalidValueException e) {
            throw line.refused(e.getMessage());
        }
        if (name.contains("+") || name.contains("!")) {
            throw line.refused(option + " " + name + ": iptables reads '+' in an interface name as a wildcard"
                    + " and '!' as a negation");
        }
    }

    private static void cidr(Line line, String option, String value) {
        if (!Ipv4Forms.addressOrCidr(value)) {
            throw line.refused(option + " " + value + " is not an IPv4 address or subnet");
        }
    }

    private static void addressAndPort(Line line, String value) {
        int colon = value.indexOf(':');
        if (colon < 0 || !Ipv4Forms.address(value.substring(0, colon)) || port(value.substring(colon + 1)) < 1) {
            throw line.refused("--to-destination " + value + " is not an IPv4 address and port (a.b.c.d:port)");
        }
    }

    private static void portRange(Line line, String value) {
        int colon = value.indexOf(':');
        int first = port(colon < 0 ? value : value.substring(0, colon));
        int last = colon < 0 ? first : port(value.substring(colon + 1));
        if (first < 0 || last < first) {
            throw line.refused("--dport " + value + " is not a port or a range first:last of ports");
        }
    }

    /** The port, or -1 if the text is not one. */
    private static int port(String text) {
        if (!NUMBER.matcher(text).matches()) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }

    /** One line of the document (number 0: a jump), for checks and for reasons that quote it. */
    private record Line(int number, String text) {

        /** Printable ASCII only: no tabs, carriage returns or other controls, no quotes, no comments. */
        void checkCharacters() {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    throw refused(String.format("character U+%04X is not allowed", (int) c));
                }
                if (c == '#' || c == '"' || c == '\'' || c == '\\') {
                    throw refused("character " + c + " is not allowed (iptables-restore reads comments and quotes)");
                }
            }
        }

        /** Words separated by one space each, as nat-service writes them. */
        List<String> words() {
            List<String> words = new ArrayList<>(Arrays.asList(text.split(" ", -1)));
            if (words.contains("")) {
                throw refused("words are separated by exactly one space");
            }
            return words;
        }

        RefusedRecord refused(String reason) {
            String quoted = text.length() > QUOTE_MAX ? text.substring(0, QUOTE_MAX) + "..." : text;
            quoted = quoted.replaceAll("[^\\x20-\\x7e]", "?");
            String where = number == 0 ? "nat-rules jump \"" + quoted + "\""
                    : "nat-rules line " + number + " \"" + quoted + "\"";
            return new RefusedRecord(where + ": " + reason);
        }
    }
}
