package dev.proxyme.hostile;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.BACKEND;
import static dev.proxyme.testsupport.ProxymeClient.JSON;
import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.basic;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forged, foreign, tampered, expired and revoked tokens at every place Proxyme or Keycloak accepts a delegation
 * token: validate_delegation, standard introspection, revoke_delegation and the proxy check. None may pass; the
 * genuine token passes everywhere (so the checks are not simply refusing everything).
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgedTokensIT {

    private final KeycloakServer server;
    private final ProxymeClient client;
    private RegisteredAgent agent;
    private String genuine;

    ForgedTokensIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeAll
    void genuineToken() {
        agent = client.registerAgent(List.of("read", "write"), List.of("portal-a", "portal-b"));
        genuine = client.delegateAsBackend("alice", agent.clientId(), List.of("read"), "portal-a")
                .text("delegation_token");
        assertAcceptedEverywhere(genuine);
    }

    @Test
    void forgedSignaturesAreRefused() throws Exception {
        String[] parts = genuine.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        String kid = header.get("kid").asText();

        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("alg none", encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".");
        forged.put(
                "alg none with the kid", encode("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "." + parts[1] + ".");
        String publicKey = client.get(URI.create(server.realmUrl(REALM)), null)
                .json()
                .get("public_key")
                .asText();
        String hsHeader = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}");
        forged.put(
                "HS256 keyed with the public key (base64)",
                hs256(hsHeader + "." + parts[1], publicKey.getBytes(StandardCharsets.US_ASCII)));
        forged.put(
                "HS256 keyed with the public key (DER)",
                hs256(hsHeader + "." + parts[1], Base64.getDecoder().decode(publicKey)));
        forged.put(
                "unknown kid",
                encode("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"no-such-key\"}") + "." + parts[1] + "."
                        + parts[2]);
        forged.put("an attacker's RSA key with the realm's kid", rs256WithOwnKey(parts[0], parts[1]));
        forged.put("signature stripped", parts[0] + "." + parts[1] + ".");
        forged.put("not a JWT", "definitely-not-a-token");
        forged.put(
                "another realm's genuine token",
                client.proxyme(
                                ProxymeClient.DEMO_REALM,
                                "delegate",
                                basic("demo-backend", "demo-backend-secret"),
                                Map.of("username", "alice", "agent_id", "demo-agent", "scopes", List.of("read")))
                        .text("delegation_token"));
        forged.put(
                "a client_credentials token of the agent",
                client.clientCredentials(REALM, agent.clientId(), agent.secret())
                        .text("access_token"));
        forged.forEach(this::assertRefusedEverywhere);
    }

    @Test
    void tamperedClaimsBreakTheSignature() throws Exception {
        String[] parts = genuine.split("\\.");
        ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        Map<String, java.util.function.Consumer<ObjectNode>> tampering = new LinkedHashMap<>();
        tampering.put("sub", c -> c.put("sub", client.userId("bob")));
        tampering.put("aud", c -> c.put("aud", "portal-b"));
        tampering.put("scope", c -> c.put("scope", "read write"));
        tampering.put("delegation_id", c -> c.put("delegation_id", "6f1f1a2e-0000-4000-8000-000000000000"));
        tampering.put("exp", c -> c.put("exp", c.get("exp").asLong() + 86400));
        tampering.put(
                "nbf in the future",
                c -> c.put("nbf", Instant.now().plusSeconds(3600).getEpochSecond()));
        tampering.forEach((what, change) -> {
            ObjectNode copy = claims.deepCopy();
            change.accept(copy);
            assertRefusedEverywhere("tampered " + what, parts[0] + "." + encode(copy.toString()) + "." + parts[2]);
        });
    }

    /**
     * Tokens whose signature is valid (a passive RSA key imported into the realm, so the realm verifies but never signs
     * with it) but whose claims are not: the checks after the signature must refuse them on their own.
     */
    @Test
    void validlySignedTokensWithInvalidClaimsAreRefused() throws Exception {
        String[] parts = genuine.split("\\.");
        ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair trusted = generator.generateKeyPair();
        String componentId = importPassiveRealmKey(trusted);
        try {
            String kid = kidOfComponent(componentId);
            String header = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}");
            assertAcceptedEverywhere(rs256(header, encode(claims.toString()), trusted));

            long now = Instant.now().getEpochSecond();
            Map<String, java.util.function.Consumer<ObjectNode>> invalid = new LinkedHashMap<>();
            invalid.put("not yet valid", c -> c.put("nbf", now + 3600));
            invalid.put("expired", c -> c.put("exp", now - 60).put("iat", now - 360));
            invalid.put(
                    "of a delegation that does not exist",
                    c -> c.put(
                            "jti",
                            c.get("jti")
                                    .asText()
                                    .replaceFirst(":[0-9a-f-]{36}\\.", ":6f1f1a2e-0000-4000-8000-000000000000.")));
            invalid.forEach((what, change) -> {
                ObjectNode copy = claims.deepCopy();
                change.accept(copy);
                assertRefusedEverywhere("validly signed, " + what, rs256(header, encode(copy.toString()), trusted));
            });

            // Keycloak's application/jwt introspection variant adds the token's claims to the answer: an inactive
            // answer must carry none (the genuine token shows the variant is on).
            ObjectNode unknownDelegation = claims.deepCopy();
            invalid.get("of a delegation that does not exist").accept(unknownDelegation);
            client.setClientAttribute("portal-a", "client.introspection.response.allow.jwt.claim.enabled", "true");
            try {
                assertTrue(introspectAsJwt(genuine).has("jwt"), "the JWT variant is on");
                JsonNode inactive = introspectAsJwt(rs256(header, encode(unknownDelegation.toString()), trusted));
                assertEquals(false, inactive.get("active").asBoolean());
                assertFalse(inactive.has("jwt"), "no claims in an inactive answer: " + inactive);
            } finally {
                client.setClientAttribute("portal-a", "client.introspection.response.allow.jwt.claim.enabled", "false");
            }
        } finally {
            client.send(
                    client.adminUri(REALM, "/components/" + componentId),
                    "DELETE",
                    null,
                    null,
                    bearer(client.rootToken()));
        }
        assertAcceptedEverywhere(genuine);
    }

    @Test
    void expiredAndRevokedTokensAreRefused() {
        Reply granted = client.delegateAsBackend("bob", agent.clientId(), List.of("read"), "portal-a");
        String revoked = granted.text("delegation_token");
        assertAcceptedEverywhere(revoked);
        assertEquals(
                200, client.revokeById(BACKEND, granted.text("delegation_id")).status());
        assertRefusedEverywhere("revoked", revoked);

        Reply shortLived = client.proxyme(
                "delegate",
                BACKEND,
                Map.of(
                        "user_id",
                        client.createUser(true),
                        "agent_id",
                        agent.clientId(),
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a",
                        "expires_in",
                        5));
        String expiring = shortLived.text("delegation_token");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (client.isActive(expiring) && Instant.now().isBefore(deadline)) {
            pause();
        }
        assertRefusedEverywhere("expired", expiring);
    }

    private void assertAcceptedEverywhere(String token) {
        assertTrue(client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token))
                .json()
                .get("valid")
                .asBoolean());
        assertTrue(client.isActive(token));
        assertEquals(200, client.proxyCheck(token).status());
    }

    private void assertRefusedEverywhere(String what, String token) {
        Reply validated = client.proxyme("validate_delegation", BACKEND, Map.of("delegation_token", token));
        assertEquals(200, validated.status(), what + ": " + validated);
        assertEquals(Map.of("valid", false), JSON.convertValue(validated.json(), Map.class), what);
        assertEquals(false, client.isActive(token), what + ": introspection");
        Reply checked = client.proxyCheck(token);
        assertEquals(401, checked.status(), what + ": proxy check " + checked);
        Reply revoke = client.proxyme("revoke_delegation", BACKEND, Map.of("delegation_token", token));
        assertTrue(
                revoke.status() == 400
                        || revoke.status() == 404 && what.endsWith("does not exist")
                        || "revoked".equals(revoke.text("status")) && isRevokedOrExpired(what),
                what + ": revoke_delegation " + revoke);
        Reply asBearer = client.proxyme("delegate", bearer(token), Map.of("request_id", "x"));
        assertEquals(401, asBearer.status(), what + ": a token is no client credential " + asBearer);
        Reply admin = client.get(client.adminUri(REALM, "/users"), bearer(token));
        assertTrue(admin.status() == 401 || admin.status() == 403, what + ": admin API refuses, " + admin.status());
    }

    /** A genuine token of a revoked or expired delegation still names it: revoking it again is allowed and harmless. */
    private static boolean isRevokedOrExpired(String what) {
        return what.equals("revoked") || what.equals("expired");
    }

    private static String rs256WithOwnKey(String header, String payload) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return rs256(header, payload, generator.generateKeyPair());
    }

    private static String rs256(String header, String payload, KeyPair key) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key.getPrivate());
            rs256.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode introspectAsJwt(String token) {
        Reply reply = client.request(
                URI.create(server.realmUrl(REALM) + "/protocol/openid-connect/token/introspect"),
                "POST",
                "application/x-www-form-urlencoded",
                "token=" + token,
                Map.of("Authorization", basic("portal-a", "portal-a-secret"), "Accept", "application/jwt"));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** Imports the key as a passive realm key (Keycloak's {@code rsa} key provider): it verifies, it never signs. */
    private String importPassiveRealmKey(KeyPair key) {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        Map<String, Object> component = Map.of(
                "name",
                "forged-tokens-it",
                "providerId",
                "rsa",
                "providerType",
                "org.keycloak.keys.KeyProvider",
                "config",
                Map.of(
                        "privateKey",
                        List.of(pem),
                        "active",
                        List.of("false"),
                        "enabled",
                        List.of("true"),
                        "priority",
                        List.of("-100"),
                        "algorithm",
                        List.of("RS256")));
        Reply created = client.send(
                client.adminUri(REALM, "/components"),
                "POST",
                "application/json",
                ProxymeClient.json(component),
                bearer(client.rootToken()));
        assertEquals(201, created.status(), created::toString);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private String kidOfComponent(String componentId) {
        for (JsonNode key : client.get(client.adminUri(REALM, "/keys"), bearer(client.rootToken()))
                .json()
                .get("keys")) {
            if (componentId.equals(key.path("providerId").asText())) {
                return key.get("kid").asText();
            }
        }
        throw new AssertionError("the imported key is not among the realm's keys");
    }

    private static String hs256(String signingInput, byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signingInput + "."
                    + Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
