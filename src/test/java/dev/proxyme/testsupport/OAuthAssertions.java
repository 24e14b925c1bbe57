package dev.proxyme.testsupport;

import com.fasterxml.jackson.databind.JsonNode;

import dev.proxyme.testsupport.ProxymeClient.Reply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

public final class OAuthAssertions {

    private OAuthAssertions() {}

    /** The reply is an OAuth error object ({@code error}, {@code error_description}) with this status and code. */
    public static void assertError(Reply reply, int status, String error) {
        assertEquals(status, reply.status(), reply::toString);
        assertOAuthError(reply);
        assertEquals(error, reply.text("error"), reply::toString);
    }

    /** A 4xx OAuth error object, JSON, with no trace of the server's insides. */
    public static void assertOAuthError(Reply reply) {
        assertTrue(reply.status() >= 400 && reply.status() < 500, reply::toString);
        assertTrue(
                reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), reply::toString);
        JsonNode body = reply.json();
        assertTrue(body.hasNonNull("error") && body.hasNonNull("error_description"), reply::toString);
        assertFalse(
                reply.body().contains("Exception")
                        || reply.body().contains("\tat ")
                        || reply.body().contains("dev.proxyme"),
                "no stack trace: " + reply);
    }

    /**
     * An answer Keycloak gives itself before Proxyme runs (its query-parameter filter, path normalization, request size
     * limit, form decoding): no trace of the server's insides, and JSON that carries {@code error}
     * ({@code error_description} is optional in RFC 6749 section 5.2 and Keycloak sometimes leaves it out). A body
     * Keycloak cannot decode as a form gets its generic 500 on every endpoint, its own token endpoint included.
     */
    public static void assertAnsweredByKeycloak(Reply reply) {
        assertTrue(reply.status() >= 400, reply::toString);
        assertFalse(
                reply.body().contains("Exception")
                        || reply.body().contains("\tat ")
                        || reply.body().contains("dev.proxyme"),
                "no stack trace: " + reply);
        if (reply.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            assertTrue(reply.json().hasNonNull("error"), reply::toString);
        }
    }
}
