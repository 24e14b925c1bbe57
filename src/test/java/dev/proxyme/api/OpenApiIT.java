package dev.proxyme.api;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI 3.1 description in {@code docs/openapi.yaml} against the running server: every operation it lists
 * exists with its method, answers an unauthenticated call with one of the statuses it documents, in OAuth's error
 * shape; the admin lists answer an administrator as documented.
 */
@ExtendWith(KeycloakServerExtension.class)
class OpenApiIT {

    private static final Path DESCRIPTION =
            Path.of(System.getProperty("proxyme.repo", ".")).resolve("docs/openapi.yaml");
    private static final String SOME_ID = "6f1f1a2e-0000-4000-8000-000000000000";

    private final KeycloakServer server;
    private final ProxymeClient client;

    OpenApiIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationAnswersAsDocumented() throws IOException {
        Map<String, Object> description;
        try (Reader reader = Files.newBufferedReader(DESCRIPTION)) {
            description = new Yaml().load(reader);
        }
        assertEquals("3.1.0", description.get("openapi"));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) description.get("paths");
        List<String> wrong = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
            for (Map.Entry<String, Object> operation : path.getValue().entrySet()) {
                operations++;
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                Map<String, Object> responses =
                        (Map<String, Object>) ((Map<String, Object>) operation.getValue()).get("responses");
                URI uri = URI.create(server.baseUri()
                        + path.getKey().replace("{realm}", REALM).replace("{id}", SOME_ID));
                Reply reply = "GET".equals(method)
                        ? client.get(uri, null)
                        : client.send(uri, method, "application/json", "{}");
                String status = Integer.toString(reply.status());
                if (!responses.containsKey(status)) {
                    wrong.add(method + " " + path.getKey() + " answered " + status + ", documented "
                            + responses.keySet());
                } else if (reply.status() >= 400
                        && reply.json().path("error").asText().isEmpty()) {
                    wrong.add(method + " " + path.getKey() + " answered " + status + " without an error: " + reply);
                }
            }
        }
        assertTrue(operations >= 19, "the description lists Proxyme's operations: " + operations);
        assertEquals(List.of(), wrong);
    }

    @Test
    void theAdminListsAnswerAnAdministratorAsDocumented() {
        for (String list : List.of("/proxyme/delegations", "/proxyme/agents")) {
            Reply reply = client.get(client.adminUri(REALM, list), bearer(client.rootToken()));
            assertEquals(200, reply.status(), reply::toString);
            JsonNode body = reply.json();
            assertTrue(body.isArray(), list + " is an array");
        }
        Reply unknown =
                client.get(client.adminUri(REALM, "/proxyme/delegations/" + SOME_ID), bearer(client.rootToken()));
        assertEquals(404, unknown.status(), unknown::toString);
        assertFalse(unknown.text("error").isEmpty());
    }
}
