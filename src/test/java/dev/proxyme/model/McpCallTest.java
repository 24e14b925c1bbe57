package dev.proxyme.model;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class McpCallTest {

    private static final List<String> VERIFYING = List.of("2026-07-28");

    @Test
    void theHeadersAreBelievedOnlyUnderAProtocolVersionWhoseServersVerifyThem() {
        assertEquals(
                Optional.of(new McpCall("tools/call", "get_report")),
                McpCall.fromHeaders(VERIFYING, List.of("tools/call"), List.of("get_report")));
        assertEquals(
                Optional.of(new McpCall("tools/list", null)),
                McpCall.fromHeaders(VERIFYING, List.of("tools/list"), null));
        for (List<String> version : List.of(List.of("2025-06-18"), List.of("2025-11-25"), List.of("2099-01-01"))) {
            assertTrue(
                    McpCall.fromHeaders(version, List.of("tools/call"), List.of("x"))
                            .isEmpty(),
                    version::toString);
        }
        assertTrue(
                McpCall.fromHeaders(null, List.of("tools/call"), List.of("x")).isEmpty());
        assertTrue(McpCall.fromHeaders(List.of("2026-07-28", "2026-07-28"), List.of("tools/call"), null)
                .isEmpty());
    }

    @Test
    void aHeaderTwiceOrOfAnotherShapeLeavesTheCallUnknown() {
        assertTrue(McpCall.fromHeaders(VERIFYING, List.of("tools/call"), List.of("a", "b"))
                .isEmpty());
        assertTrue(McpCall.fromHeaders(VERIFYING, List.of("tools/call", "tools/list"), null)
                .isEmpty());
        assertTrue(McpCall.fromHeaders(VERIFYING, null, List.of("a")).isEmpty());
        for (String name : List.of("a,b", "a b", "a;b", "é", "", "x".repeat(257), "a\u0000")) {
            assertTrue(
                    McpCall.fromHeaders(VERIFYING, List.of("tools/call"), List.of(name))
                            .isEmpty(),
                    name);
        }
        for (String method : List.of("Tools/call", "tools/", "/call", "b", "tools call")) {
            assertTrue(McpCall.of(method, null).isEmpty(), method);
        }
    }

    @Test
    void aCallWithoutANameCoversEveryNameOfItsMethod() {
        McpCall anyTool = new McpCall("tools/call", null);
        assertTrue(anyTool.covers(new McpCall("tools/call", "delete_report")));
        assertFalse(anyTool.covers(new McpCall("tools/list", null)));
        McpCall oneTool = new McpCall("tools/call", "delete_report");
        assertTrue(oneTool.covers(new McpCall("tools/call", "delete_report")));
        assertFalse(oneTool.covers(new McpCall("tools/call", "Delete_report")), "tool names are exact");
        assertFalse(oneTool.covers(new McpCall("tools/call", null)));
    }

    @Test
    void aNameInMcpsBase64FormIsReadAsTheServerReadsIt() {
        assertEquals(
                Optional.of(new McpCall("tools/call", "delete_report")),
                McpCall.fromHeaders(VERIFYING, List.of("tools/call"), List.of("=?base64?ZGVsZXRlX3JlcG9ydA==?=")));
        assertEquals(
                Optional.of(new McpCall("tools/call", "delete_report")),
                McpCall.fromHeaders(VERIFYING, List.of("=?base64?dG9vbHMvY2FsbA==?="), List.of("delete_report")));
        for (String malformed : List.of(
                "=?base64?ZGVsZXRlX3JlcG9ydA=?=", // not canonical
                "=?base64?ZGVsZXRlX3JlcG9ydB==?=", // non-zero trailing bits
                "=?base64?!!!!?=",
                "=?base64?/w==?=", // not UTF-8
                "=?base64?Y2Fmw6k=?=")) { // UTF-8, but no tool name of MCP's shape
            assertTrue(
                    McpCall.fromHeaders(VERIFYING, List.of("tools/call"), List.of(malformed))
                            .isEmpty(),
                    malformed);
        }
    }
}
