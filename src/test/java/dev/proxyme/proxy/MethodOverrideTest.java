package dev.proxyme.proxy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodOverrideTest {

    @Test
    void everySpellingAFrameworkReadsAsMethodIsSeen() {
        for (String query : List.of(
                "_method=DELETE",
                "x=1&_METHOD=put",
                "%5Fmethod=DELETE",
                "%5fmethod=DELETE",
                ".method=DELETE",
                "%20_method=DELETE",
                "+_method=DELETE",
                "x=1;_method=DELETE",
                "_method%00=DELETE",
                "_method%00junk=DELETE",
                "_method[]=DELETE",
                "_method%5B%5D=DELETE",
                "[method=DELETE",
                "%255Fmethod=DELETE",
                "_%6Dethod=DELETE",
                "_method",
                "_Method=x",
                "_method%20=x",
                "%09_method=x")) {
            assertTrue(MethodOverride.inQuery("/search?" + query), query);
        }
    }

    @Test
    void otherNamesAndPathsAreNotOverrides() {
        for (String uri : List.of(
                "/search?x_method=put",
                "/search?method=put",
                "/_method=put",
                "/search",
                "/search?q=_method",
                "/search?q=1&_methods=x",
                "/search?a=_method%3Dx")) {
            assertFalse(MethodOverride.inQuery(uri), uri);
        }
    }

    @Test
    void overrideHeadersAreSeenInAnyCaseAndWithUnderscores() {
        assertEquals(
                Optional.of("X-HTTP-Method-Override"),
                MethodOverride.headerAmong(List.of("Accept", "x-http-method-override")));
        assertEquals(
                Optional.of("X-HTTP-Method-Override"), MethodOverride.headerAmong(List.of("X_HTTP_METHOD_OVERRIDE")));
        assertEquals(Optional.of("X-Original-URL"), MethodOverride.headerAmong(List.of("x_original_url")));
        assertEquals(Optional.empty(), MethodOverride.headerAmong(List.of("X-Forwarded-Method", "Authorization")));
    }
}
