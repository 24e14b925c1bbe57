package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's Caddy running the repository's own {@code proxy/Caddyfile}, its {@code {$...}} placeholders given as
 * environment variables, exactly as a user runs it. Plain http on loopback (an {@code http://} site address turns
 * Caddy's automatic TLS off); Caddy's admin API is turned off so that it binds nothing else.
 */
public final class CaddyProxy extends ReverseProxy {

    private static final String CADDY = System.getProperty("proxyme.caddy", "/usr/bin/caddy");

    public CaddyProxy(KeycloakServer keycloak, String realm, String portalClientId, String portalHostAndPort) {
        super("caddy");
        Path caddy = requireExecutable(CADDY, "caddy");
        Path caddyfile = prefix.resolve("Caddyfile");
        try {
            String shipped = Files.readString(
                    TestSettings.fromSystemProperties().repository().resolve("proxy/Caddyfile"));
            Files.writeString(caddyfile, "{\n\tadmin off\n}\n\n" + shipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder command =
                new ProcessBuilder(caddy.toString(), "run", "--config", caddyfile.toString(), "--adapter", "caddyfile");
        Map<String, String> environment = command.environment();
        environment.put("PORTAL_HOST", "http://127.0.0.1:" + port);
        environment.put("KEYCLOAK", keycloak.baseUri().getAuthority());
        environment.put("PORTAL", portalHostAndPort);
        environment.put("REALM", realm);
        environment.put("PORTAL_CLIENT_ID", portalClientId);
        environment.put("PORTAL_SECRET", portalClientId + "-secret");
        environment.put("XDG_DATA_HOME", prefix.toString());
        environment.put("XDG_CONFIG_HOME", prefix.toString());
        environment.put("HOME", prefix.toString());
        start(command);
    }
}
