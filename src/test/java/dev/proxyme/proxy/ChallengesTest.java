package dev.proxyme.proxy;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.proxyme.ProxymeException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RFC 6750 section 3 challenges, as the proxy check answers them. */
class ChallengesTest {

    private static final ForwardedRequest DELETE_USER =
            new ForwardedRequest("DELETE", "/admin/users/1", "portal.example", "https");

    /** Route rules that cover the request, so that no portal is needed for the scopes it names. */
    private static Challenges withRules() {
        RouteRules rules = RouteRules.parse("* /admin/* write; GET /* read");
        return new Challenges("demo", ProtectedResource.of(null, rules, null, null), rules, DELETE_USER);
    }

    @Test
    void noTokenGetsNoErrorCodeButTheRouteScope() {
        ProxymeException refusal = withRules().tokenRequired();
        assertEquals("Bearer realm=\"demo\", scope=\"write\"", refusal.challenge());
    }

    @Test
    void aStepUpAsksForWhatIsHeldAndWhatTheRouteNeeds() {
        ProxymeException refusal = withRules().insufficientScope(Set.of("read"));
        assertEquals("Bearer realm=\"demo\", error=\"insufficient_scope\", scope=\"read write\"", refusal.challenge());
        assertEquals("insufficient_scope", refusal.error());
    }

    @Test
    void outsideAPortalRouteOnlyTheRealmAndTheError() {
        assertEquals(
                "Bearer realm=\"demo\", error=\"invalid_token\"",
                Challenges.plain("demo").invalidToken().challenge());
        assertEquals(
                "Bearer realm=\"demo\"",
                Challenges.plain("demo").tokenRequired().challenge());
        assertEquals(
                "Bearer realm=\"demo\", error=\"insufficient_scope\"",
                Challenges.plain("demo").insufficientScope(Set.of("read")).challenge());
    }
}
