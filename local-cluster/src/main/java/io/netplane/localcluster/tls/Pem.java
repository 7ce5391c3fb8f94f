package io.netplane.localcluster.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** Reads back the PEM files {@link LocalCa} writes. */
final class Pem {

    private Pem() {
    }

    static X509Certificate certificate(Path file) throws IOException, GeneralSecurityException {
        Object o = read(file);
        if (!(o instanceof X509CertificateHolder holder)) {
            throw new IOException(file + " holds no certificate");
        }
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    static PrivateKey privateKey(Path file) throws IOException {
        Object o = read(file);
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair pair) {
            return keys.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
            return keys.getPrivateKey(info);
        }
        throw new IOException(file + " holds no private key");
    }

    private static Object read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file); PEMParser parser = new PEMParser(r)) {
            return parser.readObject();
        }
    }
}
