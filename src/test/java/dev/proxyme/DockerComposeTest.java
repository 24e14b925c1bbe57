package dev.proxyme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker-compose.yml cannot run here (no Docker engine): check what can be checked without one. */
class DockerComposeTest {

    private static final Path REPO = Path.of("").toAbsolutePath();

    @Test
    @SuppressWarnings("unchecked")
    void runsTheOfficialImageInProductionModeOnPostgresWithPathsThatExist() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(REPO.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> keycloak = (Map<String, Object>) services.get("keycloak");

        assertEquals("quay.io/keycloak/keycloak:" + keycloakVersion(), keycloak.get("image"));
        assertEquals("start", ((List<String>) keycloak.get("command")).get(0), "production mode, not start-dev");
        Map<String, String> environment = (Map<String, String>) keycloak.get("environment");
        assertEquals("postgres", environment.get("KC_DB"));
        assertTrue(environment.get("KC_DB_URL").startsWith("jdbc:postgresql://postgres:"));
        assertTrue(services.containsKey("postgres"));

        List<String> volumes = (List<String>) keycloak.get("volumes");
        assertTrue(
                volumes.stream().anyMatch(v -> v.contains(":/opt/keycloak/providers/")), "the provider jar is mounted");
        assertTrue(
                volumes.stream().anyMatch(v -> v.contains(":/opt/keycloak/data/import/")), "the demo realm is mounted");
        Map<String, Object> nginx = (Map<String, Object>) services.get("nginx");
        assertTrue(
                ((List<String>) nginx.get("volumes"))
                        .contains("./proxy/nginx.conf:/etc/nginx/templates/nginx.conf.template:ro"),
                "nginx runs the shipped config");
        assertTrue(services.containsKey("portal"));
        List<String> allVolumes = new java.util.ArrayList<>();
        for (Object service : services.values()) {
            Object mounted = ((Map<String, Object>) service).get("volumes");
            if (mounted != null) {
                allVolumes.addAll((List<String>) mounted);
            }
        }
        for (String volume : allVolumes) {
            if (!volume.startsWith("./")) {
                continue;
            }
            String source = volume.split(":")[0];
            Path path = REPO.resolve(source).normalize();
            if (source.startsWith("./target/")) {
                assertEquals(REPO.resolve("target/" + finalName() + ".jar"), path, "the jar the build produces");
            } else {
                assertTrue(Files.isRegularFile(path), source + " exists in the repository");
            }
        }
    }

    private static String keycloakVersion() throws IOException {
        return pomValue("<keycloak.version>([^<]+)</keycloak.version>");
    }

    private static String finalName() throws IOException {
        return pomValue("<finalName>([^<]+)</finalName>");
    }

    private static String pomValue(String regex) throws IOException {
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(REPO.resolve("pom.xml")));
        assertTrue(matcher.find(), regex);
        return matcher.group(1);
    }
}
