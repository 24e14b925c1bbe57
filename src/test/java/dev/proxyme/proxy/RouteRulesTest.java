package dev.proxyme.proxy;

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
        assertEquals(Set.of("/files/a.tar.gz", "/files/a.tar", "/files/a"), RouteRules.readings("/files/a.tar.gz"));
        assertEquals(Set.of("/.well-known"), RouteRules.readings("/.well-known"), "a leading dot is no suffix");
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
}
