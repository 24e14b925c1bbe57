package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Debian's nginx running the repository's own {@code proxy/nginx.conf}. */
public final class NginxProxy extends ReverseProxy {

    private static final String NGINX = System.getProperty("proxyme.nginx", "/usr/sbin/nginx");

    public NginxProxy(KeycloakServer keycloak, String realm, String portalClientId, String portalHostAndPort) {
        super("nginx");
        Path nginx = requireExecutable(NGINX, "nginx");
        String config = render(
                "proxy/nginx.conf",
                Map.of(
                        "LISTEN",
                        "127.0.0.1:" + port,
                        "KEYCLOAK",
                        keycloak.baseUri().getAuthority(),
                        "PORTAL",
                        portalHostAndPort,
                        "REALM",
                        realm,
                        "PORTAL_CLIENT_ID",
                        portalClientId,
                        "PORTAL_SECRET",
                        portalClientId + "-secret",
                        "PREFIX",
                        prefix.toString()));
        Path conf = prefix.resolve("nginx.conf");
        try {
            Files.writeString(conf, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start(new ProcessBuilder(
                nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off;"));
    }

    /** The shipped file with each {@code ${NAME}} replaced by its value; every placeholder must be filled. */
    private static String render(String shippedFile, Map<String, String> values) {
        try {
            String config = Files.readString(
                    TestSettings.fromSystemProperties().repository().resolve(shippedFile));
            for (Map.Entry<String, String> value : values.entrySet()) {
                config = config.replace("${" + value.getKey() + "}", value.getValue());
            }
            if (config.contains("${")) {
                throw new IllegalStateException(shippedFile + " has a placeholder the tests do not fill");
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
