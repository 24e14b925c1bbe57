package dev.proxyme.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvelopeTest {

    @Test
    void routesAreWrittenAsTheyAreMatched() {
        for (String route : List.of(
                "GET,HEAD /reports/*",
                "* /",
                "POST /submit",
                "GET /reports*",
                "DELETE /a-b_c.d~e/@x:1",
                "POST /mcp tools/call get_report",
                "POST /mcp tools/list",
                "POST /mcp resources/read reports://q3")) {
            assertDoesNotThrow(() -> Envelope.of(null, List.of(route), null, null), route);
        }
        for (String route : List.of(
                "DELETE /%61dmin/*",
                "GET /a;jsessionid=1",
                "GET /a//b",
                "GET /./a",
                "GET /a/../b",
                "GET /a/..",
                "GET /a/.*",
                "GET /a/*/b",
                "GET /a\\b",
                "get /a",
                "GET a",
                "GET /a b",
                "GET /a?x=1",
                "GET /a#x",
                "POST /mcp tools/call get report",
                "POST /mcp tools/call a,b",
                "POST /mcp Tools/call x",
                "POST /mcp tools/call " + "x".repeat(257))) {
            assertThrows(IllegalArgumentException.class, () -> Envelope.of(null, List.of(route), null, null), route);
        }
    }

    @Test
    void aWindowEndsWithItsDelegation() {
        Envelope inside = Envelope.of(null, List.of(), 100L, 200L);
        assertSame(inside, inside.endingBy(300));
        assertEquals(
                Long.valueOf(250),
                Envelope.of(5, List.of(), 100L, 400L).endingBy(250).notAfter());
        assertEquals(
                Integer.valueOf(5),
                Envelope.of(5, List.of(), 100L, 400L).endingBy(250).budget());
        assertThrows(
                IllegalArgumentException.class,
                () -> Envelope.of(null, List.of(), 300L, null).endingBy(300));
        assertSame(Envelope.NONE, Envelope.NONE.endingBy(1));
    }

    @Test
    void aRouteNamesTheMcpCallAfterItsPath() {
        assertEquals(
                java.util.Optional.of(new McpCall("tools/call", "get_report")),
                Envelope.callOf("POST /mcp tools/call get_report"));
        assertEquals(java.util.Optional.of(new McpCall("tools/list", null)), Envelope.callOf("POST /mcp tools/list"));
        assertEquals(java.util.Optional.empty(), Envelope.callOf("GET /reports/*"));
    }
}
