package io.netplane.agent.firewall;

/** An iptables tool refused or failed; the message carries its stderr. */
public class FirewallException extends RuntimeException {
    public FirewallException(String message) {
        super(message);
    }
}
