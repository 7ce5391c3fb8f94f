package io.netplane.edge;

import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * What a client certificate may do, named by the organizational unit (OU) of its subject: an
 * {@code operator} may change the network, a {@code read-only} client may only look.
 */
public enum Role {
    OPERATOR("operator"),
    READ_ONLY("read-only");

    /** The OU a certificate's subject carries for this role. */
    public final String unit;

    Role(String unit) {
        this.unit = unit;
    }

    /** The role a certificate's subject names, or empty when it names none (such a client may do nothing). */
    public static Optional<Role> of(X500Principal subject) {
        try {
            for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("OU")) {
                    for (Role r : values()) {
                        if (r.unit.equals(rdn.getValue().toString())) {
                            return Optional.of(r);
                        }
                    }
                }
            }
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether this role may make a request with the given HTTP method. */
    public boolean allows(String method) {
        return this == OPERATOR || isReadOnly(method);
    }

    static boolean isReadOnly(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
