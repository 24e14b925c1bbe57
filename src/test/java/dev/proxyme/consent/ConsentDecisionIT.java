package dev.proxyme.consent;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.Eventually;
import dev.proxyme.testsupport.HtmlForms;
import dev.proxyme.testsupport.KeycloakServer;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;
import dev.proxyme.testsupport.ProxymeClient.RegisteredAgent;
import dev.proxyme.testsupport.ProxymeClient.Reply;

import static dev.proxyme.testsupport.ProxymeClient.REALM;
import static dev.proxyme.testsupport.ProxymeClient.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request is decided once: whatever forms of it are posted, in any order or at the same instant, nothing is granted
 * or revoked beyond the first decision, and the agent is told that decision. The forms are the consent page's own,
 * posted with a real Chromium login session's cookies.
 */
@ExtendWith(KeycloakServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentDecisionIT {

    private static final int ROUNDS = 8;

    private final KeycloakServer server;
    private final ProxymeClient client;
    private String cookies;

    ConsentDecisionIT(KeycloakServer server, ProxymeClient client) {
        this.server = server;
        this.client = client;
    }

    @BeforeAll
    void logIn() {
        try (Browser browser = new Browser()) {
            browser.open(server.realmUrl(REALM) + "/proxyme/delegations");
            browser.logInIfAsked("alice", "alice-password");
            browser.await(By.id("proxyme-page"));
            cookies = browser.cookieHeader();
        }
    }

    @Test
    void denyAndApprovePostedAtOnceDecideOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RegisteredAgent agent = newAgent();
            JsonNode request = request(agent, List.of("read"));
            List<Reply> replies = postAtOnce(form(request, "deny"), form(request, "approve"));
            Reply deny = replies.get(0);
            Reply approve = replies.get(1);
            assertEquals(
                    List.of(200, 409),
                    List.of(deny.status(), approve.status()).stream().sorted().toList(),
                    "round " + round + ": one decision wins, the other is told it came late");
            Reply outcome = pollUntilDecided(agent, request);
            if (approve.status() == 200) {
                assertEquals("decided", outcomeOf(deny));
                assertEquals(200, outcome.status(), outcome::toString);
                assertEquals(1, activeDelegations(agent).size());
            } else {
                assertEquals("decided", outcomeOf(approve));
                assertEquals(
                        "access_denied", outcome.text("error"), "round " + round + ": the agent is told it was denied");
                assertEquals(
                        0, activeDelegations(agent).size(), "round " + round + ": denied, yet a delegation exists");
            }
        }
    }

    @Test
    void twoApprovalsPostedAtOnceGrantOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RegisteredAgent agent = newAgent();
            JsonNode request = request(agent, List.of("read"));
            List<Reply> replies = postAtOnce(form(request, "approve"), form(request, "approve"));
            assertEquals(
                    List.of(200, 409),
                    replies.stream().map(Reply::status).sorted().toList(),
                    "round " + round);
            assertEquals(200, pollUntilDecided(agent, request).status());
            assertEquals(1, activeDelegations(agent).size(), "round " + round + ": exactly one delegation");
            assertEquals(
                    1, createdCount(activeDelegations(agent).get(0).get("id").asText()));
        }
    }

    /**
     * Two step-ups of one agent approved at once, both replacing the same access: never two accesses side by side.
     * Whichever finds what it replaces revoked by the other changes nothing and says so (409, "changed").
     */
    @Test
    void twoStepUpsApprovedAtOnceLeaveOneAccess() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            RegisteredAgent agent = newAgent();
            JsonNode readOnly = request(agent, List.of("read"));
            assertEquals(200, post(client, form(readOnly, "approve")).status());
            assertEquals(200, pollUntilDecided(agent, readOnly).status());
            JsonNode one = request(agent, List.of("write"));
            JsonNode other = request(agent, List.of("write"));
            List<Reply> replies = postAtOnce(form(one, "approve"), form(other, "approve"));
            assertEquals(1, activeDelegations(agent).size(), "round " + round + ": one access, never two");
            for (Reply reply : replies) {
                assertTrue(
                        reply.status() == 200 && outcomeOf(reply).equals("approved")
                                || reply.status() == 409 && outcomeOf(reply).equals("changed"),
                        () -> "round " + reply.status() + " " + outcomeOf(reply));
            }
        }
    }

    @Test
    void aSecondDecisionInAnyOrderChangesNothing() {
        for (List<String> order : List.of(
                List.of("deny", "approve"),
                List.of("approve", "deny"),
                List.of("approve", "approve"),
                List.of("deny", "deny"))) {
            RegisteredAgent agent = newAgent();
            JsonNode request = request(agent, List.of("read"));
            Map<String, String> first = form(request, order.get(0));
            Map<String, String> second = form(request, order.get(1));
            assertEquals(200, post(client, first).status(), order + ": first");
            Reply late = post(client, second);
            assertEquals(409, late.status(), order + ": second");
            assertEquals("decided", outcomeOf(late));
            boolean approved = order.get(0).equals("approve");
            assertEquals(approved ? 1 : 0, activeDelegations(agent).size(), order::toString);
            Reply outcome = pollUntilDecided(agent, request);
            assertEquals(approved ? 200 : 400, outcome.status(), order + ": " + outcome);
        }
    }

    /** Denying a wider request must leave what the user granted before exactly as it was. */
    @Test
    void aStepUpDeniedThenApprovedLeavesTheEarlierDelegation() {
        RegisteredAgent agent = newAgent();
        JsonNode readOnly = request(agent, List.of("read"));
        assertEquals(200, post(client, form(readOnly, "approve")).status());
        Reply granted = pollUntilDecided(agent, readOnly);
        assertEquals(200, granted.status(), granted::toString);
        String earlierToken = granted.text("delegation_token");

        JsonNode wider = request(agent, List.of("read", "write"));
        Map<String, String> denyForm = form(wider, "deny");
        Map<String, String> approveForm = form(wider, "approve");
        assertEquals(200, post(client, denyForm).status());
        assertEquals(409, post(client, approveForm).status());

        assertTrue(client.isActive(earlierToken), "the earlier delegation's token still works");
        List<JsonNode> active = activeDelegations(agent);
        assertEquals(1, active.size());
        assertEquals(
                granted.text("delegation_id"), active.get(0).get("id").asText(), "the earlier delegation is untouched");
        assertEquals("access_denied", pollUntilDecided(agent, wider).text("error"));
    }

    /** A request that can no longer be granted is shown as such, grants nothing, and ends as denied for the agent. */
    @Test
    void aRequestWhoseAgentWasDisabledIsShownAsUnavailable() {
        RegisteredAgent agent = newAgent();
        JsonNode request = request(agent, List.of("read"));
        Map<String, String> approveForm = form(request, "approve");
        String agentPath = "/clients/" + client.clientUuid(agent.clientId());
        client.setEnabled(agentPath, false);
        try {
            Reply reply = post(client, approveForm);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("unavailable", outcomeOf(reply));
            assertTrue(reply.body().contains("no longer available"), reply::toString);
            assertEquals(0, activeDelegations(agent).size());
        } finally {
            client.setEnabled(agentPath, true);
        }
        assertEquals("access_denied", pollUntilDecided(agent, request).text("error"));
    }

    /**
     * The decision form's user code selects nothing: without a valid nonce the answer is the same for a live code and
     * an unknown one, and each such form counts against the address's limit on wrong codes (RFC 8628 section 5.1).
     * Sent from 127.0.0.3, so that the limit reaches no other test.
     */
    @Test
    void decisionFormsGiveNoHintAboutCodesAndCountAgainstTheLimit() throws Exception {
        ProxymeClient guesser = new ProxymeClient(server, InetAddress.getByName("127.0.0.3"));
        RegisteredAgent agent = newAgent();
        JsonNode request = request(agent, List.of("read"));
        Map<String, String> genuine = form(request, "approve");
        String live = request.get("user_code").asText();
        String unknown = new StringBuilder(live.replace("-", ""))
                .reverse()
                .insert(4, '-')
                .toString();
        List<String> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            Map<String, String> guess = new LinkedHashMap<>(genuine);
            guess.put("nonce", "6f1f1a2e-0000-4000-8000-00000000000" + attempt);
            guess.put("user_code", attempt % 2 == 0 ? live : unknown);
            Reply reply = post(guesser, guess);
            answers.add(reply.status() + " " + outcomeOf(reply));
        }
        assertEquals(
                List.of("403 refused"), answers.stream().distinct().toList(), "one answer for live and unknown codes");

        Reply limited = post(guesser, genuine);
        assertEquals(403, limited.status(), "the eleventh form is refused, even a genuine one");
        assertEquals("refused", outcomeOf(limited));
        Reply codePage = guesser.request(
                URI.create(request.get("verification_uri_complete").asText()),
                "GET",
                null,
                null,
                Map.of("Cookie", cookies, "Accept", "text/html", "Accept-Language", "en"));
        assertTrue(codePage.body().contains("Too many wrong codes"), "the code page shares the limit");
        assertEquals("authorization_pending", poll(agent, request).text("error"), "nothing was decided");

        Reply fromElsewhere = post(client, genuine);
        assertEquals(
                200, fromElsewhere.status(), "the limited attempt did not spend the genuine form: " + fromElsewhere);
        assertEquals("approved", outcomeOf(fromElsewhere));
    }

    /**
     * A step-up that keeps a budget counts what the replaced delegation used up to the moment it ended: calls racing
     * the approval come off the kept budget, so that the two delegations together never pass more than the budget.
     */
    @Test
    void callsRacingAStepUpComeOffTheKeptBudget() throws Exception {
        RegisteredAgent agent = newAgent();
        Reply asked = client.proxyme(
                "request_delegation",
                agent.basicAuth(),
                Map.of(
                        "scopes",
                        List.of("read"),
                        "portal",
                        "portal-a",
                        "purpose",
                        "Count my calls",
                        "user",
                        "alice",
                        "envelope",
                        Map.of("budget", 200)));
        JsonNode first = asked.json();
        assertEquals(200, post(client, form(first, "approve")).status());
        String token = pollUntilDecided(agent, first).text("delegation_token");
        JsonNode stepUp = request(agent, List.of("write"));
        Map<String, String> approval = form(stepUp, "approve");

        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger passed = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                calls.add(CompletableFuture.runAsync(
                        () -> {
                            while (!stop.get()) {
                                if (client.proxyCheck(token).status() == 200) {
                                    passed.incrementAndGet();
                                }
                            }
                        },
                        callers));
            }
            // The approval is posted once calls are passing: within a deadline, not after a fixed pause.
            Eventually.await(() -> passed.get() > 0, Duration.ofSeconds(10), "calls passing");
            assertEquals(200, post(client, approval).status());
            stop.set(true);
            for (CompletableFuture<Void> call : calls) {
                call.get(30, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        Reply steppedUp = pollUntilDecided(agent, stepUp);
        assertEquals(200, steppedUp.status(), steppedUp::toString);
        int kept = client.trail(steppedUp.text("delegation_id"))
                .get("delegation")
                .get("envelope")
                .get("budget")
                .asInt();
        assertTrue(passed.get() > 0, "calls ran while the user decided");
        assertEquals(200, passed.get() + kept, () -> passed.get() + " passed on the old delegation, " + kept + " kept");
    }

    private RegisteredAgent newAgent() {
        return client.registerAgent(List.of("read", "write"), List.of("portal-a"));
    }

    private JsonNode request(RegisteredAgent agent, List<String> scopes) {
        Reply reply = client.proxyme(
                "request_delegation",
                agent.basicAuth(),
                Map.of("scopes", scopes, "portal", "portal-a", "purpose", "Decide once", "user", "alice"));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json();
    }

    /** The consent page's own form for the request, as the browser holds it, with the decision filled in. */
    private Map<String, String> form(JsonNode request, String decision) {
        Reply page = client.request(
                URI.create(request.get("verification_uri_complete").asText()),
                "GET",
                null,
                null,
                Map.of("Cookie", cookies, "Accept", "text/html"));
        assertEquals(200, page.status(), page::toString);
        Map<String, String> fields = HtmlForms.hiddenFieldsOfFirstForm(page.body());
        // Posted as a template without the scope boxes posts (every scope shown): the choice is ConsentIT's.
        fields.remove("scope_choice");
        fields.put("decision", decision);
        return fields;
    }

    private Reply post(ProxymeClient from, Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((name, value) -> body.append(body.isEmpty() ? "" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return from.request(
                URI.create(server.realmUrl(REALM) + "/proxyme/consent/decision"),
                "POST",
                "application/x-www-form-urlencoded",
                body.toString(),
                Map.of(
                        "Cookie",
                        cookies,
                        "Accept",
                        "text/html",
                        "Origin",
                        server.baseUri().toString().replaceAll("/$", ""),
                        "Sec-Fetch-Site",
                        "same-origin"));
    }

    /** Posts both forms at the same instant, from two threads released together. */
    private List<Reply> postAtOnce(Map<String, String> first, Map<String, String> second) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService twoThreads = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Reply> a =
                    CompletableFuture.supplyAsync(() -> awaitThen(start, () -> post(client, first)), twoThreads);
            CompletableFuture<Reply> b =
                    CompletableFuture.supplyAsync(() -> awaitThen(start, () -> post(client, second)), twoThreads);
            return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
        } finally {
            twoThreads.shutdownNow();
        }
    }

    private static Reply awaitThen(CyclicBarrier barrier, java.util.function.Supplier<Reply> action) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return action.get();
    }

    private static String outcomeOf(Reply page) {
        java.util.regex.Matcher outcome = java.util.regex.Pattern.compile("class=\"proxyme-result-([a-z-]+)\"")
                .matcher(page.body());
        return outcome.find() ? outcome.group(1) : "none";
    }

    private Reply poll(RegisteredAgent agent, JsonNode request) {
        return client.proxyme(
                "delegate",
                agent.basicAuth(),
                Map.of("request_id", request.get("request_id").asText()));
    }

    /** Polls at the protocol's interval until the outcome shows, within a deadline. */
    private Reply pollUntilDecided(RegisteredAgent agent, JsonNode request) {
        return client.pollUntilDecided(
                agent.basicAuth(), request.get("request_id").asText());
    }

    private List<JsonNode> activeDelegations(RegisteredAgent agent) {
        Reply reply = client.get(
                URI.create(client.adminUri(REALM, "/proxyme/delegations") + "?status=active&agent=" + agent.clientId()),
                bearer(client.rootToken()));
        assertEquals(200, reply.status(), reply::toString);
        List<JsonNode> active = new ArrayList<>();
        reply.json().forEach(active::add);
        return active;
    }

    private long createdCount(String delegationId) {
        return client.trail(delegationId).get("audit").findValuesAsText("action").stream()
                .filter("DELEGATION_CREATED"::equals)
                .count();
    }
}
