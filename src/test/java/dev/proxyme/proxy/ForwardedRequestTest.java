package dev.proxyme.proxy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardedRequestTest {

    private static ForwardedRequest get(String uri) {
        return new ForwardedRequest("GET", uri, "portal.example:8443", "https");
    }

    @Test
    void theUrlForDPoPHasNoQueryAndDefaultsToHttps() {
        assertEquals("https://portal.example:8443/a/b", get("/a/b?token=x").urlWithoutQuery());
        assertEquals(
                "https://portal.example/", new ForwardedRequest("GET", null, "portal.example", null).urlWithoutQuery());
        assertEquals("http://127.0.0.1:8081", new ForwardedRequest("GET", "/", "127.0.0.1:8081", "http").origin());
    }

    @Test
    void aMethodOverrideInTheQueryIsSeenInAnyCase() {
        assertTrue(get("/a?_method=DELETE").asksMethodOverride());
        assertTrue(get("/a?x=1&_METHOD=put").asksMethodOverride());
        assertFalse(get("/a?x_method=put").asksMethodOverride());
        assertFalse(get("/_method=put").asksMethodOverride());
    }

    @Test
    void theLogGetsTheCanonicalPathWithoutQueryAndNothingUnprintable() {
        assertEquals("/admin/users", get("/%61dmin/users?secret=1").pathForTheLog(null));
        assertFalse(get("/a\u0000b").pathForTheLog(null).contains("\u0000"));
        assertEquals(1000, get("/" + "x".repeat(5000)).pathForTheLog(null).length());
        assertEquals("/a", get("/a;jsessionid=SECRET").pathForTheLog(null));
        assertEquals("/a", get("/a#frag=SECRET").pathForTheLog(null));
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        assertEquals("/files/[token]/x", get("/files/" + token + "/x").pathForTheLog(token));
        assertEquals("/files/[token]", get("/files/" + token + ";x").pathForTheLog(token));
        String longToken = "eyJ" + "a".repeat(900) + ".eyJ" + "b".repeat(300) + ".sig";
        assertEquals(
                "/t/[token]", get("/t/" + longToken + ";x").pathForTheLog(longToken), "replaced before any shortening");
        assertEquals("/p", get("/p%3Bjsessionid=SECRET").pathForTheLog(null));
        assertEquals("/p", get("/p%23frag").pathForTheLog(null));
        assertEquals("PROPFIND", new ForwardedRequest("propfind", "/", "h", null).methodForTheLog());
        assertEquals(
                16,
                new ForwardedRequest("M".repeat(40), "/", "h", null)
                        .methodForTheLog()
                        .length());
        assertEquals("?", new ForwardedRequest(null, "/", "h", null).methodForTheLog());
    }

    @Test
    void theLogKeepsABelievedToolOrPromptButNotAResourcesUri() {
        assertEquals(
                "/mcp tools/call get_report",
                new ForwardedRequest(
                                "POST", "/mcp", "h", null, new dev.proxyme.model.McpCall("tools/call", "get_report"))
                        .requestForTheLog(null));
        assertEquals(
                "/mcp resources/read",
                new ForwardedRequest(
                                "POST",
                                "/mcp",
                                "h",
                                null,
                                new dev.proxyme.model.McpCall("resources/read", "reports://q3?key=secret"))
                        .requestForTheLog(null));
        assertEquals("/mcp", new ForwardedRequest("POST", "/mcp", "h", null).requestForTheLog(null));
        String longPath = "/" + "a".repeat(1500);
        String logged = new ForwardedRequest(
                        "POST",
                        longPath,
                        "h",
                        null,
                        new dev.proxyme.model.McpCall("tools/call", "get_report_" + "x".repeat(117)))
                .requestForTheLog(null);
        assertEquals(1024, logged.length());
        assertTrue(logged.endsWith(" tools/call get_report_" + "x".repeat(117)), logged);
    }

    @Test
    void aToolNameThatLooksLikeASecretOrIsOfAnotherShapeIsNotKept() {
        String token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
        for (String name : List.of("https://x.example/?token=abc", "<script>alert(1)</script>", "a b")) {
            assertEquals(
                    "/mcp tools/call [unusual name]",
                    new ForwardedRequest("POST", "/mcp", "h", null, new dev.proxyme.model.McpCall("tools/call", name))
                            .requestForTheLog(token),
                    name);
        }
        assertEquals(
                "/mcp tools/call [unusual name]",
                new ForwardedRequest(
                                "POST",
                                "/mcp",
                                "h",
                                null,
                                new dev.proxyme.model.McpCall("tools/call", token.substring(0, 30)))
                        .requestForTheLog(token));
        assertFalse(new ForwardedRequest(
                        "POST",
                        "/mcp",
                        "h",
                        null,
                        new dev.proxyme.model.McpCall("tools/call", "k3J9xQ2mZ8vL4wR7tN1pB6yH5cF0dS3a"))
                .requestForTheLog(token)
                .contains("k3J9xQ2mZ8vL4wR7tN1pB6yH5cF0dS3a"));
    }
}
