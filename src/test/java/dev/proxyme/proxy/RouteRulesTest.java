package dev.proxyme.proxy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteRulesTest {

    private static final RouteRules RULES = RouteRules.parse("GET,HEAD /reports/* read; POST /* write\n* /status read");
    private static final Set<String> READ = Set.of("read");
    private static final Set<String> WRITE = Set.of("write");

    @Test
    void theFirstMatchingRuleDecides() {
        assertTrue(RULES.allows("GET", "/reports/2026?month=11", READ));
        assertFalse(RULES.allows("GET", "/reports/2026", WRITE));
        assertTrue(RULES.allows("head", "/reports/x", READ), "methods are case-insensitive");
        assertTrue(RULES.allows("POST", "/reports/2026", WRITE));
        assertFalse(RULES.allows("POST", "/reports/2026", READ));
        assertTrue(RULES.allows("DELETE", "/status", READ));
    }

    @Test
    void whatNoRuleMatchesIsRefused() {
        assertFalse(RULES.allows("GET", "/admin", Set.of("read", "write")));
        assertFalse(RULES.allows("GET", "/status/more", READ), "exact paths match exactly");
    }

    @Test
    void ambiguousPathsNeverPass() {
        Set<String> all = Set.of("read", "write");
        for (String uri : new String[] {
            "/reports/../admin",
            "/reports/%2e%2e/admin",
            "/reports%2Fx",
            "/reports/.",
            "/reports\\x",
            "//reports/x",
            "reports/x",
            "/reports/./x"
        }) {
            assertFalse(RULES.allows("GET", uri, all), uri);
        }
        assertFalse(RULES.allows(null, "/reports/x", all));
        assertFalse(RULES.allows("GET", null, all));
    }

    @Test
    void noRulesAllowAnyRouteAndMalformedRulesAllowNone() {
        assertTrue(RouteRules.parse(null).allows("DELETE", "/anything", Set.of()));
        assertTrue(RouteRules.parse("  ").allows("GET", "/", Set.of()));
        RouteRules malformed = RouteRules.parse("GET /reports/* read; POST write");
        assertFalse(malformed.allows("GET", "/reports/x", Set.of("read", "write")));
        assertFalse(RouteRules.parse("GET reports read").allows("GET", "/reports", Set.of("read")));
    }

    @Test
    void aPathAnotherLetterCaseSendsToAStricterRuleNeedsBothScopes() {
        RouteRules rules = RouteRules.parse("* /admin/* write; GET /* read");
        for (String uri : new String[] {"/Admin/users", "/ADMIN", "/%41dmin/x", "/adm%C4%B1n/x", "/%C3%A0dmin"}) {
            boolean foldsToAdmin = !uri.startsWith("/%C3%A0");
            assertEquals(!foldsToAdmin, rules.allows("GET", uri, READ), uri);
        }
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("GET", "/Admin/users"));
        assertEquals(java.util.Optional.of(Set.of("write")), rules.requiredScopes("GET", "/admin/users"));
        assertEquals(java.util.Optional.of(Set.of("read")), rules.requiredScopes("GET", "/reports/x"));
        assertTrue(rules.allows("GET", "/Admin/users", Set.of("read", "write")));
        RouteRules caseSensitive = RouteRules.parse("* /admin/* write; GET /* read", true);
        assertTrue(caseSensitive.allows("GET", "/Admin/users", READ), "the portal said its paths are case-sensitive");
        assertFalse(caseSensitive.allows("GET", "/admin/users", READ));
    }

    @Test
    void theMatchedPatternIsWhatARoutesOnlyLogKeeps() {
        assertEquals(java.util.Optional.of("/reports/*"), RULES.matchedPattern("GET", "/reports/2026/secret"));
        assertEquals(java.util.Optional.of("/status"), RULES.matchedPattern("PUT", "/status"));
        assertEquals(java.util.Optional.empty(), RULES.matchedPattern("GET", "/nowhere"));
    }

    @Test
    void aTrailingSlashOrAFormatSuffixNeedsWhatThePathWithoutItNeeds() {
        RouteRules rules = RouteRules.parse("POST /api/transfer write; * /admin/* write; * /* read");
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/api/transfer/"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/API/Transfer/"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("GET", "/admin.json"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/api/transfer.xml"));
        assertEquals(java.util.Optional.of(Set.of("read")), rules.requiredScopes("GET", "/reports/2026.pdf"));
        assertEquals(java.util.Optional.of(Set.of("write")), rules.requiredScopes("POST", "/api/transfer"));
        RouteRules exactOnly = RouteRules.parse("GET /status read");
        assertTrue(exactOnly.allows("GET", "/status", READ), "a reading that matches no rule adds nothing");
        assertEquals(
                java.util.Optional.empty(), exactOnly.requiredScopes("GET", "/status/"), "as written, nothing matches");
    }

    @Test
    void aRulesPathIsReadAsARouterReadsItsRouteTemplate() {
        RouteRules rules =
                RouteRules.parse("POST /api/transfer/ write; GET /export.json write; * /admin/* write; * /* read");
        assertEquals(java.util.Optional.of(Set.of("write")), rules.requiredScopes("POST", "/api/transfer"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/API/Transfer"));
        assertEquals(java.util.Optional.of(Set.of("write")), rules.requiredScopes("POST", "/api/transfer/"));
        assertEquals(
                java.util.Optional.of(Set.of("write", "read")), rules.requiredScopes("POST", "/api/transfer.json"));
        assertEquals(java.util.Optional.of(Set.of("write")), rules.requiredScopes("GET", "/export"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("GET", "/export.csv"));
        assertEquals(java.util.Optional.of(Set.of("read")), rules.requiredScopes("GET", "/exports"), "control");
    }

    @Test
    void aSuffixWithMoreThanOneDotIsCutAtEachDot() {
        RouteRules rules = RouteRules.parse("* /admin/* write; * /* read");
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/admin.x.json"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("POST", "/Admin.a.b.c"));
        assertEquals(Set.of("/files/a.tar.gz", "/files/a.tar", "/files/a"), PathReadings.readings("/files/a.tar.gz"));
        assertEquals(Set.of("/.well-known"), PathReadings.readings("/.well-known"), "a leading dot is no suffix");
    }

    @Test
    void aHeadRequestNeedsWhatAGetOfItsPathNeeds() {
        RouteRules rules = RouteRules.parse("GET /x write; * /* read");
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("HEAD", "/x"));
        assertEquals(java.util.Optional.of(Set.of("read", "write")), rules.requiredScopes("head", "/X/"));
        assertEquals(java.util.Optional.of(Set.of("read")), rules.requiredScopes("HEAD", "/y"), "control");
        assertEquals(
                java.util.Optional.empty(),
                RouteRules.parse("GET /x read").requiredScopes("HEAD", "/x"),
                "as written, no rule");
    }

    private static final java.util.Optional<dev.proxyme.model.McpCall> UNKNOWN = java.util.Optional.empty();

    private static java.util.Optional<dev.proxyme.model.McpCall> tool(String name) {
        return dev.proxyme.model.McpCall.of("tools/call", name);
    }

    @Test
    void aRuleForAToolDecidesOnlyThatToolAndAnUnknownCallNeedsEveryToolItMayBe() {
        RouteRules rules =
                RouteRules.parse("POST /mcp write tools/call delete_report; POST /mcp read tools/call; * /mcp read");
        assertEquals(
                java.util.Optional.of(Set.of("write")), rules.requiredScopes("POST", "/mcp", tool("delete_report")));
        assertEquals(java.util.Optional.of(Set.of("read")), rules.requiredScopes("POST", "/mcp", tool("get_report")));
        assertEquals(
                java.util.Optional.of(Set.of("read")),
                rules.requiredScopes("POST", "/mcp", dev.proxyme.model.McpCall.of("tools/list", null)));
        assertEquals(
                java.util.Optional.of(Set.of("write", "read")),
                rules.requiredScopes("POST", "/mcp", UNKNOWN),
                "headers the proxy cannot believe: whatever tool it is");
        assertEquals(
                java.util.Optional.of(Set.of("write", "read")),
                rules.requiredScopes("POST", "/mcp", tool(null)),
                "tools/call without a name may be delete_report");
        assertTrue(rules.allows("POST", "/mcp", tool("get_report"), Set.of("read")));
        assertFalse(rules.allows("POST", "/mcp", tool("delete_report"), Set.of("read")));
        assertFalse(rules.allows("POST", "/MCP/", UNKNOWN, Set.of("read")), "every reading of the path too");
        assertEquals(
                java.util.Optional.of("/mcp tools/call delete_report"),
                rules.matchedPattern("POST", "/mcp", tool("delete_report")));
        assertEquals(java.util.Optional.of("/mcp"), rules.matchedPattern("POST", "/mcp", UNKNOWN));
    }

    @Test
    void aRuleNamingACallOfAnotherShapeMakesTheRulesDenyEverything() {
        for (String rules : List.of(
                "POST /mcp write tools/call delete,report", "POST /mcp write Tools/call x", "POST /mcp write a b c")) {
            assertTrue(
                    RouteRules.parse(rules)
                            .requiredScopes("POST", "/mcp", tool("x"))
                            .isEmpty(),
                    rules);
        }
    }

    @Test
    void anAllowListNamingAToolNeverPassesACallItCannotBelieve() {
        RouteRules allowed = RouteRules.allowing(List.of("POST /mcp tools/call get_report"), "envelope", false);
        assertEquals(
                java.util.Optional.of(Set.of("envelope")), allowed.requiredScopes("POST", "/mcp", tool("get_report")));
        assertTrue(allowed.requiredScopes("POST", "/mcp", tool("delete_report")).isEmpty());
        assertTrue(allowed.requiredScopes("POST", "/mcp", UNKNOWN).isEmpty());
    }
}
