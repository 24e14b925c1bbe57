package dev.proxyme.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/** Where the build put things, from the system properties the failsafe plugin sets (see pom.xml). */
record TestSettings(
        Path repository,
        Path buildDirectory,
        Path keycloakDistribution,
        Path providerJar,
        String keycloakVersion,
        OptionalInt httpPort,
        OptionalInt managementPort) {

    static TestSettings fromSystemProperties() {
        Path repository = Path.of(System.getProperty("proxyme.repo", "."))
                .toAbsolutePath()
                .normalize();
        Path build = repository.resolve("target");
        String version = System.getProperty("keycloak.version", "26.7.5");
        Path dist = Path.of(System.getProperty(
                "keycloak.dist", build.resolve("keycloak-" + version).toString()));
        Path jar = Path.of(System.getProperty(
                "proxyme.jar", build.resolve("proxyme-keycloak.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No provider jar at " + jar + ": run the tests with 'mvn verify'");
        }
        return new TestSettings(
                repository,
                build,
                dist,
                jar,
                version,
                port("proxyme.it.http-port"),
                port("proxyme.it.management-port"));
    }

    /** The demo realm users start with, and the realm the integration tests are written against. */
    List<Path> realmFiles() {
        return List.of(
                repository.resolve("realm-export/proxyme-demo-realm.json"),
                repository.resolve("src/test/resources/realms/proxyme-it-realm.json"));
    }

    private static OptionalInt port(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(value));
    }
}
