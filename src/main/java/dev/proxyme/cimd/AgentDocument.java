package dev.proxyme.cimd;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.keycloak.OAuth2Constants;
import org.keycloak.representations.oidc.OIDCClientRepresentation;

/**
 * What Proxyme reads of a client ID metadata document: its {@code client_id}, {@code client_name},
 * {@code redirect_uris}, {@code token_endpoint_auth_method} and whether it carries a secret. Whatever else a real
 * client publishes ({@code token_endpoint_auth_methods_supported} in ChatGPT's, a jwt-bearer grant in claude.ai's,
 * logos and policies on other hosts) is left out: the agent made of it is public and uses the authorization code flow
 * only, and Keycloak's own reading of a document would refuse it for a property it does not know.
 */
final class AgentDocument {

    private static final int MAX_NAME_LENGTH = 100;
    static final int MAX_REDIRECT_URIS = 10;

    private AgentDocument() {}

    /** The document as Keycloak's CIMD checks take it; {@code null} when it is not a JSON object. */
    static OIDCClientRepresentation read(JsonNode document) {
        if (document == null || !document.isObject()) {
            return null;
        }
        OIDCClientRepresentation client = new OIDCClientRepresentation();
        client.setClientId(text(document, "client_id"));
        String name = text(document, "client_name");
        if (name != null) {
            String printable = name.codePoints()
                    .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                    .toString()
                    .strip();
            client.setClientName(
                    printable.length() > MAX_NAME_LENGTH ? printable.substring(0, MAX_NAME_LENGTH) : printable);
        }
        JsonNode redirects = document.get("redirect_uris");
        if (redirects != null && redirects.isArray()) {
            List<String> uris = new ArrayList<>();
            redirects.forEach(uri -> {
                if (uri.isTextual()) {
                    uris.add(uri.asText());
                }
            });
            client.setRedirectUris(uris.size() == redirects.size() ? uris : List.of("not a string"));
        }
        JsonNode authMethod = document.get("token_endpoint_auth_method");
        // A method of another type than a string is no method Proxyme knows: refused as a confidential one would be.
        client.setTokenEndpointAuthMethod(
                authMethod == null || authMethod.isNull() ? null : authMethod.isTextual() ? authMethod.asText() : "?");
        if (document.has("client_secret")) {
            client.setClientSecret("present");
        }
        client.setGrantTypes(List.of(OAuth2Constants.AUTHORIZATION_CODE, OAuth2Constants.REFRESH_TOKEN));
        client.setResponseTypes(List.of(OAuth2Constants.CODE));
        return client;
    }

    private static String text(JsonNode document, String name) {
        JsonNode value = document.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
