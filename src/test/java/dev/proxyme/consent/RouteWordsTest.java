package dev.proxyme.consent;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.proxyme.clients.RouteLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class RouteWordsTest {

    @Test
    void methodsReadAsWhatTheyDo() {
        assertEquals(
                List.of("read"), RouteWords.view("GET,HEAD /reports/*", null).get("verbs"));
        assertEquals(List.of("send"), RouteWords.view("POST /reports", null).get("verbs"));
        assertEquals(
                List.of("change"), RouteWords.view("PUT,PATCH /notes", null).get("verbs"));
        assertEquals(
                List.of("read", "delete"),
                RouteWords.view("GET,DELETE /notes", null).get("verbs"));
        assertEquals(List.of("any"), RouteWords.view("* /admin", null).get("verbs"));
        assertEquals(List.of("any"), RouteWords.view("GET,PURGE /cache", null).get("verbs"), "an unknown method: any");
    }

    @Test
    void aPrefixReadsAsAnythingUnderIt() {
        Map<String, Object> prefix = RouteWords.view("GET /reports/*", null);
        assertEquals(true, prefix.get("under"));
        assertEquals("/reports/", prefix.get("path"));
        Map<String, Object> exact = RouteWords.view("GET /reports", null);
        assertEquals(false, exact.get("under"));
        assertEquals("/reports", exact.get("path"));
    }

    @Test
    void aToolIsNamedAndALabelWins() {
        Map<String, Object> tool = RouteWords.view("POST /mcp tools/call get_report", null);
        assertEquals("get_report", tool.get("tool"));
        assertNull(tool.get("label"));
        assertEquals(
                "Your reports",
                RouteWords.view("GET /reports/*", "Your reports").get("label"));
        assertFalse(RouteWords.view("GET /status", null).containsKey("tool"));
    }

    @Test
    void labelsAreReadFromTheirLinesAndOnlyWellFormedOnesCount() {
        Map<String, String> labels = RouteLabels.parse(String.join(
                "\n",
                "GET,HEAD /reports/* | Read your reports",
                "POST /mcp tools/call a|b | The tool with a bar",
                "GET /x",
                "GET /%61dmin | An escaped path is no route",
                "GET /y | ",
                "GET /z | \u202Eevil",
                "GET,HEAD /reports/* | A second label is ignored",
                "GET /w| no space before the bar"));
        assertEquals(
                Map.of(
                        "GET,HEAD /reports/*", "Read your reports",
                        "POST /mcp tools/call a|b", "The tool with a bar"),
                labels);
        assertEquals(
                java.util.Optional.of("GET /x"),
                RouteLabels.firstMalformed("GET,HEAD /reports/* | Fine\nGET /x\nGET /y | "));
        assertEquals(java.util.Optional.empty(), RouteLabels.firstMalformed("GET /a | A\r\n\r\nGET /b | B"));
        assertEquals(
                java.util.Optional.of("GET /long | " + "x".repeat(121)),
                RouteLabels.firstMalformed("GET /long | " + "x".repeat(121)));
    }
}
