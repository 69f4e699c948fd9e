package io.courtier.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.courtier.testkit.External;
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

    /**
     * A second PKI under {@code dir/chain/}, two levels deep as public CAs are: a root
     * ({@code root-only.crt}), an intermediate it signed ({@code intermediate.crt}),
     * {@code cafile.pem} holding both as a Mosquitto user's {@code cafile} does, and, signed by
     * the intermediate alone, a server certificate for localhost ({@code server.crt}, alone in its
     * file, and {@code server2.crt}, another one for the same key, to show a renewal), client
     * certificates {@code sensor} (/O=Courtier/CN=chained-sensor) and {@code revoked}, and the
     * intermediate's CRL revoking the latter ({@code crl.pem}).
     */
    public TestCertificates withIntermediate() throws Exception {
        Path d = dir.resolve("chain");
        Files.createDirectories(d);
        openssl(d, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "DIR/root.key", "-out", "DIR/root-only.crt", "-days", "2", "-subj", "/CN=Courtier Root");
        Files.writeString(d.resolve("ca.ext"), "basicConstraints=critical,CA:true\n"
                + "keyUsage=critical,keyCertSign,cRLSign\n");
        signed(d, "intermediate", "/CN=Courtier Intermediate", "root-only", "root", "ca.ext");
        Files.writeString(d.resolve("cafile.pem"), Files.readString(d.resolve("root-only.crt"))
                + Files.readString(d.resolve("intermediate.crt")));
        Files.writeString(d.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        signed(d, "server", "/CN=localhost", "intermediate", "intermediate", "server.ext");
        openssl(d, "req", "-new", "-key", "DIR/server.key", "-out", "DIR/server2.csr", "-subj",
                "/O=Renewed/CN=localhost");
        openssl(d, "x509", "-req", "-in", "DIR/server2.csr", "-CA", "DIR/intermediate.crt", "-CAkey",
                "DIR/intermediate.key", "-CAcreateserial", "-out", "DIR/server2.crt", "-days", "2", "-extfile",
                "DIR/server.ext");
        signed(d, "sensor", "/O=Courtier/CN=chained-sensor", "intermediate", "intermediate", null);
        signed(d, "revoked", "/CN=chained-revoked", "intermediate", "intermediate", null);
        Files.writeString(d.resolve("index.txt"), "");
        Files.writeString(d.resolve("crlnumber"), "01\n");
        Files.writeString(d.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test_ca", "[ test_ca ]", "database = " + d.resolve("index.txt"),
                "crlnumber = " + d.resolve("crlnumber"), "default_md = sha256", "default_crl_days = 2", ""));
        openssl(d, "ca", "-config", "DIR/ca.cnf", "-keyfile", "DIR/intermediate.key", "-cert",
                "DIR/intermediate.crt", "-revoke", "DIR/revoked.crt");
        openssl(d, "ca", "-config", "DIR/ca.cnf", "-keyfile", "DIR/intermediate.key", "-cert",
                "DIR/intermediate.crt", "-gencrl", "-out", "DIR/crl.pem");
        return new TestCertificates(d);
    }

    /** A new EC key and a certificate for it signed by {@code ca} (an extensions file or null). */
    private static void signed(Path d, String name, String subject, String ca, String caKey, String ext) {
        openssl(d, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "DIR/" + name + ".key", "-out", "DIR/" + name + ".csr", "-subj", subject);
        List<String> args = new java.util.ArrayList<>(List.of("x509", "-req", "-in", "DIR/" + name + ".csr", "-CA",
                "DIR/" + ca + ".crt", "-CAkey", "DIR/" + caKey + ".key", "-CAcreateserial", "-out",
                "DIR/" + name + ".crt", "-days", "2"));
        if (ext != null) {
            args.addAll(List.of("-extfile", "DIR/" + ext));
        }
        openssl(d, args.toArray(new String[0]));
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
