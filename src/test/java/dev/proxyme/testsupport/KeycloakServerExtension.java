package dev.proxyme.testsupport;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one Keycloak for the whole test run (the first test class that needs it pays the start) and stops it when
 * the run ends, whatever happened. Backend: {@code -Dproxyme.it.backend=distribution} (default, the official
 * distribution zip, no Docker needed) or {@code testcontainers} (the official image, needs a Docker engine).
 */
public final class KeycloakServerExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KeycloakServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KeycloakServer.class || type == ProxymeClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        KeycloakServer server = server(context);
        return parameter.getParameter().getType() == KeycloakServer.class ? server : new ProxymeClient(server);
    }

    private static KeycloakServer server(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        RunningServer.class, key -> new RunningServer(startBackend()), RunningServer.class)
                .server();
    }

    private static KeycloakServer startBackend() {
        String backend = System.getProperty("proxyme.it.backend", "distribution");
        TestSettings settings = TestSettings.fromSystemProperties();
        return switch (backend) {
            case "distribution" -> DistributionServer.start(settings);
            case "testcontainers" -> ContainerServer.start(settings);
            default ->
                throw new IllegalStateException("Unknown proxyme.it.backend '" + backend
                        + "': use 'distribution' (default) or 'testcontainers' (needs a Docker engine)");
        };
    }

    /** Closed by JUnit when the root context closes: at the end of the run, after the last test class. */
    private record RunningServer(KeycloakServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
