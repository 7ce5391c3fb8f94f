package io.netplane.localcluster.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for one machine, as {@code dockerd --tlsverify} setups make by hand:
 * a server certificate for 127.0.0.1 and localhost, and one client certificate per role, each
 * in a folder laid out as the docker CLI's {@code DOCKER_CERT_PATH} wants it ({@code ca.pem},
 * {@code cert.pem}, {@code key.pem}). A client's role is its subject's OU (see http-edge's Role).
 */
public final class LocalCa {

    /** The roles a client certificate is made for: the folder name is the OU. */
    public static final String OPERATOR = "operator";
    public static final String READ_ONLY = "read-only";

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    private LocalCa(Path dir) {
        this.dir = dir;
    }

    /** Makes a new authority and its certificates under {@code dir}, replacing any there. */
    public static LocalCa create(Path dir) {
        return create(dir, List.of());
    }

    /**
     * As {@link #create(Path)}, with a server certificate that also names {@code serverNames}
     * (the DNS names services are reached by in compose or Kubernetes).
     */
    public static LocalCa create(Path dir, List<String> serverNames) {
        try {
            Files.createDirectories(dir);
            KeyPair caKey = rsa();
            X500Name caName = new X500Name("CN=netplane local CA, O=netplane");
            X509Certificate ca = sign(caName, caKey, caName, caKey, true, null, null);
            write(dir.resolve("ca.pem"), ca);

            KeyPair serverKey = rsa();
            List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.iPAddress, "::1"), new GeneralName(GeneralName.dNSName, "localhost")));
            serverNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            X509Certificate server = sign(new X500Name("CN=localhost, O=netplane"), serverKey, caName, caKey, false,
                    KeyPurposeId.id_kp_serverAuth, new GeneralNames(names.toArray(GeneralName[]::new)));
            write(dir.resolve("server-cert.pem"), server);
            writeKey(dir.resolve("server-key.pem"), serverKey);

            for (String role : new String[] {OPERATOR, READ_ONLY}) {
                Path client = Files.createDirectories(dir.resolve(role));
                KeyPair key = rsa();
                X509Certificate cert = sign(new X500Name("CN=netplane-" + role + ", OU=" + role + ", O=netplane"),
                        key, caName, caKey, false, KeyPurposeId.id_kp_clientAuth, null);
                write(client.resolve("ca.pem"), ca);
                write(client.resolve("cert.pem"), cert);
                writeKey(client.resolve("key.pem"), key);
            }
            return new LocalCa(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the local certificate authority: " + e.getMessage(), e);
        }
    }

    /** The folder to give the docker CLI as DOCKER_CERT_PATH for a client of this role. */
    public Path clientDir(String role) {
        return dir.resolve(role);
    }

    /**
     * What a Quarkus service needs to serve TLS on {@code sslPort}, trusting client certificates
     * of this authority (http-edge requires one on every TLS request); plain HTTP stays on, on
     * loopback only.
     */
    public Map<String, String> quarkusServerConfig(int sslPort) {
        return Map.of(
                "quarkus.http.ssl-port", Integer.toString(sslPort),
                "quarkus.tls.key-store.pem.0.cert", dir.resolve("server-cert.pem").toString(),
                "quarkus.tls.key-store.pem.0.key", dir.resolve("server-key.pem").toString(),
                "quarkus.tls.trust-store.pem.certs", dir.resolve("ca.pem").toString(),
                "quarkus.http.insecure-requests", "enabled");
    }

    /**
     * What a Quarkus service or agent needs to call another one's https API as a client of
     * {@code role}: the properties http-edge's ServiceClientTls reads.
     */
    public Map<String, String> quarkusClientConfig(String role) {
        return Map.of(
                "netplane.client-tls.cert", clientDir(role).resolve("cert.pem").toString(),
                "netplane.client-tls.key", clientDir(role).resolve("key.pem").toString(),
                "netplane.client-tls.ca", dir.resolve("ca.pem").toString());
    }

    /** An SSL context for a Java client: trusts this authority, and presents the role's certificate unless null. */
    public SSLContext clientContext(String role) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", Pem.certificate(dir.resolve("ca.pem")));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (role != null) {
                char[] none = new char[0];
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", Pem.privateKey(clientDir(role).resolve("key.pem")), none,
                        new Certificate[] {Pem.certificate(clientDir(role).resolve("cert.pem"))});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
            boolean isCa, KeyPurposeId purpose, GeneralNames altNames)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
                subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } else {
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        }
        if (altNames != null) {
            b.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static void write(Path file, Object pemObject) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(pemObject);
        }
        Files.writeString(file, out.toString());
    }

    private static void writeKey(Path file, KeyPair key) throws IOException {
        write(file, key.getPrivate());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
