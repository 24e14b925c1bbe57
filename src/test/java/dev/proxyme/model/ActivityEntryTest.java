package dev.proxyme.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ActivityEntryTest {

    private static ActivityEntry request(long time, String path, boolean allowed, String node) {
        return ActivityEntry.of(
                "realm", "delegation", time, "GET", path, allowed, allowed ? null : "insufficient_scope", node);
    }

    @Test
    void requestsOfOneRouteDecisionAndNodeAddUp() {
        ActivityEntry sum = request(20, "/a", true, "n1")
                .plus(request(10, "/a", true, "n1"))
                .plus(request(30, "/a", true, "n1"));
        assertEquals(3, sum.count());
        assertEquals(10, sum.firstTime());
        assertEquals(30, sum.time());
        assertEquals(request(5, "/a", true, "n1").route(), sum.route());
    }

    @Test
    void anotherPathDecisionOrNodeIsAnotherRow() {
        ActivityEntry.Route route = request(1, "/a", true, "n1").route();
        assertNotEquals(route, request(1, "/b", true, "n1").route());
        assertNotEquals(route, request(1, "/a", false, "n1").route());
        assertNotEquals(route, request(1, "/a", true, "n2").route());
    }
}
