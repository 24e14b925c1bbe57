package dev.proxyme.proxy;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Route rules see one form of a path; whatever a portal could read differently has none and never passes. */
class CanonicalPathTest {

    /** Each of these could reach a portal as /admin/users (or some other path than it looks like): none has a form. */
    static final List<String> AMBIGUOUS = List.of(
            "/admin;x=1/users",
            "/admin;/users",
            "/admin%3bx=1/users",
            "/admin%3B/users",
            "/admin%00/users",
            "/admin%09/users",
            "/admin%0a/users",
            "/admin%0D/users",
            "/admin%7f/users",
            "/admin%20/users",
            "/%20admin/users",
            "/admin./users",
            "/admin%2e/users",
            "/%2561dmin/users",
            "/%25/users",
            "/admin%/users",
            "/admin%4/users",
            "/admin%zz/users",
            "/admin%2fusers",
            "/admin%2Fusers",
            "/admin%5cusers",
            "/admin\\users",
            "/admin%3F/users",
            "/admin%23/users",
            "/reports/../admin/users",
            "/reports/%2e%2e/admin/users",
            "/reports/.%2e/admin",
            "/reports/./x",
            "/reports/.",
            "//admin/users",
            "/admin//users",
            "/%C0%AFadmin/users",
            "/admin%C0%AE/users",
            "/%E0%80%AFadmin",
            "/%ED%A0%80admin",
            "/%FFadmin",
            "/%EF%BD%81dmin/users",
            "/admin%E2%80%AE/users",
            "/admin%EF%BB%BF/users",
            "/admin%E2%80%8B/users",
            "/admin%C2%A0/users",
            "/admin%E3%80%80/users",
            "/\u00e9",
            "/admin users",
            "/admin\tusers",
            "/admin::$INDEX_ALLOCATION/users",
            "/admin:$DATA",
            "/admin::$DATA/users",
            "/admin:$data",
            "/ADMINI~1/users",
            "/admin+/users",
            "/admin%2B/users",
            "/+admin/users",
            "admin/users",
            "http://portal/admin/users",
            "",
            "?/admin");

    @Test
    void decodesOnceAndDropsTheQuery() {
        assertEquals(Optional.of("/admin/users"), CanonicalPath.of("/%61dmin/users"));
        assertEquals(Optional.of("/reports/2026"), CanonicalPath.of("/reports/2026?month=11&x=%2e%2e"));
        assertEquals(Optional.of("/"), CanonicalPath.of("/"));
        assertEquals(Optional.of("/reports/"), CanonicalPath.of("/reports/"));
        assertEquals(Optional.of("/files/my report.pdf"), CanonicalPath.of("/files/my%20report.pdf"));
        assertEquals(Optional.of("/r\u00e9sum\u00e9"), CanonicalPath.of("/r%C3%A9sum%C3%A9"));
        assertEquals(Optional.of("/a-b_c.d~e!$&'()*+,=:@x"), CanonicalPath.of("/a-b_c.d~e!$&'()*+,=:@x"));
        assertEquals(
                Optional.of("/v1/users:batchGet"), CanonicalPath.of("/v1/users:batchGet"), "a colon is no stream name");
        assertEquals(Optional.of("/~alice/notes"), CanonicalPath.of("/~alice/notes"), "a tilde is no short name");
    }

    @Test
    void pathsAPortalCouldReadDifferentlyHaveNoForm() {
        for (String uri : AMBIGUOUS) {
            assertTrue(CanonicalPath.of(uri).isEmpty(), uri + " -> " + CanonicalPath.of(uri));
        }
        assertTrue(CanonicalPath.of(null).isEmpty());
    }

    @Test
    void aReadTokenNeverReachesWhatNeedsWrite() {
        RouteRules rules = RouteRules.parse("* /admin/* write; GET /* read");
        Set<String> read = Set.of("read");
        assertTrue(rules.allows("GET", "/reports", read));
        assertFalse(rules.allows("GET", "/admin/users", read));
        assertFalse(rules.allows("GET", "/admin", read), "/admin/* covers /admin itself");
        assertFalse(rules.allows("GET", "/%61dmin/users", read), "an escaped letter is the same path");
        assertTrue(rules.allows("GET", "/%61dmin/users", Set.of("write")));
        for (String uri : AMBIGUOUS) {
            assertFalse(rules.allows("GET", uri, Set.of("read", "write")), uri);
        }
    }

    @Test
    void rulesAreReadInTheSameForm() {
        RouteRules rules = RouteRules.parse("GET /r%C3%A9sum%C3%A9/* read");
        assertTrue(rules.allows("GET", "/r%c3%a9sum%c3%a9/1", Set.of("read")));
        assertFalse(
                RouteRules.parse("GET /admin;x/* read").allows("GET", "/admin;x/1", Set.of("read")),
                "a rule without a canonical form denies everything");
    }
}
