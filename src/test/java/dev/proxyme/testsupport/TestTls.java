package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One TLS certificate for the test run's https servers (the client metadata documents Keycloak fetches), for
 * {@code 127.0.0.1} and {@code localhost}, made with the JDK's keytool under {@code target/test-tls/}. Keycloak trusts
 * it through {@code --truststore-paths}, as an administrator makes it trust an internal CA.
 */
public final class TestTls {

    private static final String PASSWORD = "proxyme-test";
    private static final String ALIAS = "proxyme-test";

    private TestTls() {}

    /** The certificate in PEM, for Keycloak's {@code --truststore-paths}; made on first use. */
    public static synchronized Path certificate() {
        Path pem = directory().resolve("certificate.pem");
        if (!Files.exists(pem)) {
            Path keystore = keystore();
            keytool(
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    ALIAS,
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    pem.toString());
        }
        return pem;
    }

    /** A server-side TLS context presenting the certificate. */
    public static SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized Path keystore() {
        Path keystore = directory().resolve("keystore.p12");
        if (!Files.exists(keystore)) {
            keytool(
                    "-genkeypair",
                    "-alias",
                    ALIAS,
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "30",
                    "-dname",
                    "CN=127.0.0.1",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-keystore",
                    keystore.toString(),
                    "-storetype",
                    "PKCS12",
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD,
                    "-noprompt");
        }
        return keystore;
    }

    private static Path directory() {
        Path directory = TestSettings.fromSystemProperties().buildDirectory().resolve("test-tls");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return directory;
    }

    private static void keytool(String... arguments) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
