package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI made with the {@code openssl} CLI at test time (no private key is committed):
 * a CA, a server certificate for localhost/127.0.0.1 with an EC key in OpenSSL's SEC 1 form,
 * an RSA server key in PKCS#1 form, client certificates, and a CRL revoking one of them.
 */
public final class TestCertificates {

    public final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    private static void openssl(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        External.Result r = External.run(cmd.stream().map(a -> a.replace("DIR", dir.toString())).toList());
        assertThat(r.exitCode()).as("openssl %s: %s", String.join(" ", args), r.stderr()).isZero();
    }

    public static TestCertificates create(Path dir) throws Exception {
        External.require("openssl");
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "DIR/ca.key", "-out", "DIR/ca.crt", "-days", "2", "-subj", "/CN=Courtier Test CA");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        // server: EC key as `openssl ecparam -genkey` writes it (EC PARAMETERS + EC PRIVATE KEY)
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "DIR/server.key");
        openssl(dir, "req", "-new", "-key", "DIR/server.key", "-out", "DIR/server.csr", "-subj", "/CN=localhost");
        openssl(dir, "x509", "-req", "-in", "DIR/server.csr", "-CA", "DIR/ca.crt", "-CAkey", "DIR/ca.key",
                "-CAcreateserial", "-out", "DIR/server.crt", "-days", "2", "-extfile", "DIR/server.ext");
        // a second server key: RSA in PKCS#1 form ("BEGIN RSA PRIVATE KEY")
        openssl(dir, "genrsa", "-traditional", "-out", "DIR/server-rsa.key", "2048");
        openssl(dir, "req", "-new", "-key", "DIR/server-rsa.key", "-out", "DIR/server-rsa.csr", "-subj", "/CN=localhost");
        openssl(dir, "x509", "-req", "-in", "DIR/server-rsa.csr", "-CA", "DIR/ca.crt", "-CAkey", "DIR/ca.key",
                "-CAcreateserial", "-out", "DIR/server-rsa.crt", "-days", "2", "-extfile", "DIR/server.ext");
        for (String[] c : new String[][] {{"sensor", "/C=FR/O=Courtier/CN=sensor-1"}, {"reader", "/CN=reader"},
                {"revoked", "/CN=revoked"}}) {
            String n = c[0];
            openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", "DIR/" + n + ".key", "-out", "DIR/" + n + ".csr", "-subj", c[1]);
            openssl(dir, "x509", "-req", "-in", "DIR/" + n + ".csr", "-CA", "DIR/ca.crt", "-CAkey", "DIR/ca.key",
                    "-CAcreateserial", "-out", "DIR/" + n + ".crt", "-days", "2");
            openssl(dir, "pkcs12", "-export", "-in", "DIR/" + n + ".crt", "-inkey", "DIR/" + n + ".key",
                    "-out", "DIR/" + n + ".p12", "-passout", "pass:changeit");
        }
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("crlnumber"), "01\n");
        Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test_ca", "[ test_ca ]", "database = " + dir.resolve("index.txt"),
                "crlnumber = " + dir.resolve("crlnumber"), "default_md = sha256", "default_crl_days = 2", ""));
        openssl(dir, "ca", "-config", "DIR/ca.cnf", "-keyfile", "DIR/ca.key", "-cert", "DIR/ca.crt",
                "-revoke", "DIR/revoked.crt");
        openssl(dir, "ca", "-config", "DIR/ca.cnf", "-keyfile", "DIR/ca.key", "-cert", "DIR/ca.crt",
                "-gencrl", "-out", "DIR/crl.pem");
        return new TestCertificates(dir);
    }

    /** A JDK SSLContext trusting the test CA, presenting a client certificate when one is named. */
    public SSLContext clientContext(String client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(file("ca.crt"))) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file(client + ".p12"))) {
                keys.load(in, "changeit".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "changeit".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
