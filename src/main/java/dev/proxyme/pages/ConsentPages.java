package dev.proxyme.pages;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import dev.proxyme.ProxymeException;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.consent.AlreadyDecidedException;
import dev.proxyme.consent.ConsentFlow;
import dev.proxyme.consent.ConsentView;
import dev.proxyme.consent.EnvelopeForm;
import dev.proxyme.consent.PendingRequest;
import dev.proxyme.consent.PendingRequests.ShownForm;
import dev.proxyme.consent.ScopeChoice;
import dev.proxyme.consent.UserCodes;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;

/**
 * Proxyme's consent pages at {@code /realms/{realm}/proxyme/consent}, rendered with the realm's login theme: enter a
 * user code, see what an agent asks for, approve or deny. Every POST proves it came from this page (see
 * {@link BrowserPage}); a decision also consumes a one-time nonce bound to the request and the user.
 */
public class ConsentPages {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ConsentFlow consent;
    private final BrowserPage page;

    public ConsentPages(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.consent = new ConsentFlow(session, realm);
        this.page = new BrowserPage(session);
    }

    /** The verification URI (RFC 8628 section 3.3): with a code, the request's consent page; without, a code form. */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("user_code") String userCode) {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(pageUri(UserCodes.normalize(userCode).orElse(null)));
        }
        UserModel user = auth.user();
        if (userCode == null || userCode.isBlank()) {
            return codeForm(user, null);
        }
        String sourceAddress = session.getContext().getConnection().getRemoteAddr();
        if (consent.requests().tooManyWrongCodes(sourceAddress)) {
            return codeForm(user, "proxymeCodeTooManyAttempts");
        }
        Optional<PendingRequest> request =
                UserCodes.normalize(userCode).flatMap(code -> consent.requests().byUserCode(code));
        if (request.isEmpty()) {
            consent.requests().recordWrongCode(sourceAddress);
            return codeForm(user, "proxymeCodeInvalid");
        }
        return consentPage(user, request.get());
    }

    /** The user typed a code: show its request (the code travels in the URL of the page, as RFC 8628's complete URI). */
    @POST
    @Path("code")
    @Produces(MediaType.TEXT_HTML)
    public Response enterCode() {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return page.redirectToLogin(pageUri(null));
        }
        MultivaluedMap<String, String> form = page.form();
        String forgery = page.forgeryOf(form);
        if (forgery != null) {
            return refused(auth.user(), "code form " + forgery);
        }
        Optional<String> code = UserCodes.normalize(form.getFirst("user_code"));
        if (code.isEmpty()) {
            return codeForm(auth.user(), "proxymeCodeInvalid");
        }
        return Response.seeOther(pageUri(code.get())).build();
    }

    /**
     * The user's decision. The form's one-time nonce names the request it was shown for: the user code it carries
     * selects nothing, so the answer to a form without a valid nonce is the same whatever code it names, and each such
     * form counts against the address's limit on wrong codes, as a wrong code typed on the code form does.
     */
    @POST
    @Path("decision")
    @Produces(MediaType.TEXT_HTML)
    public Response decide() {
        AuthResult auth = page.authenticate();
        if (auth == null) {
            return result(null, "proxymeResultSessionEnded", "session-ended", 401);
        }
        UserModel user = auth.user();
        MultivaluedMap<String, String> form = page.form();
        String forgery = page.forgeryOf(form);
        if (forgery != null) {
            return refused(user, "consent form " + forgery);
        }
        String sourceAddress = session.getContext().getConnection().getRemoteAddr();
        if (consent.requests().tooManyWrongCodes(sourceAddress)) {
            return refused(user, "consent form after too many wrong codes");
        }
        String decision = form.getFirst("decision");
        if (!"approve".equals(decision) && !"deny".equals(decision)) {
            return result(user, "proxymeResultRefused", "invalid", 400);
        }
        Optional<ShownForm> shown = consent.requests().consumeNonce(form.getFirst("nonce"), user.getId());
        if (shown.isEmpty()) {
            consent.requests().recordWrongCode(sourceAddress);
            return refused(user, "consent form replayed or forged");
        }
        Optional<PendingRequest> request = consent.requests()
                .byId(shown.get().requestId())
                .filter(live -> UserCodes.normalize(form.getFirst("user_code"))
                        .filter(live.userCode()::equals)
                        .isPresent());
        if (request.isEmpty()) {
            return result(user, "proxymeResultExpired", "expired", 400);
        }
        if (ConsentFlow.isForAnotherUser(request.get(), user)) {
            return refused(user, "consent form for another user");
        }
        StepUp stepUp = consent.stepUpOf(user, request.get());
        if (!consent.requests().isDecided(request.get())
                && !stepUp.replacedIds().equals(shown.get().replacedIds())) {
            // The page showed other access than the user has now: the decision is left open, the page shown again.
            return result(user, "proxymeResultChangedMeanwhile", "changed", 409);
        }
        Envelope approvedEnvelope;
        try {
            approvedEnvelope = EnvelopeForm.approved(stepUp, form);
        } catch (ProxymeException moreThanProposed) {
            return result(user, "proxymeResultRefused", "refused", 400);
        }
        Optional<Scopes> chosen = ScopeChoice.chosen(stepUp, request.get().scopes(), form);
        try {
            if ("approve".equals(decision) && chosen.isPresent()) {
                Delegation approved = consent.approve(
                        user, auth.session().getId(), request.get(), stepUp, approvedEnvelope, chosen.get());
                return result(
                        user,
                        "proxymeResultApproved",
                        "approved",
                        200,
                        consent.summary(request.get(), approved.scopes(), approved.expiresAt()));
            }
            if ("approve".equals(decision)) {
                consent.approveNothing(user, request.get(), stepUp);
                return result(
                        user,
                        stepUp.isStepUp() ? "proxymeResultNothingChosenStepUp" : "proxymeResultNothingChosen",
                        "denied",
                        200,
                        consent.summary(request.get(), Scopes.of(List.of()), null));
            }
            consent.deny(user, request.get());
            return result(
                    user,
                    "proxymeResultDenied",
                    "denied",
                    200,
                    consent.summary(request.get(), Scopes.of(List.of()), null));
        } catch (AlreadyDecidedException decidedFirst) {
            return result(user, "proxymeResultDecided", "decided", 409);
        } catch (ProxymeException cannotBeGranted) {
            return cannotBeGranted.status() == 409
                    // At the same moment as another decision: this one was claimed, so the request is closed.
                    ? result(user, "proxymeResultChangedClosed", "changed", 409)
                    : result(user, "proxymeResultAgentUnavailable", "unavailable", cannotBeGranted.status());
        }
    }

    private Response consentPage(UserModel user, PendingRequest request) {
        Agent agent;
        try {
            agent = consent.agentOf(request);
        } catch (ProxymeException gone) {
            return result(user, "proxymeResultExpired", "expired", 400);
        }
        if (consent.requests().isDecided(request)) {
            return result(user, "proxymeResultDecided", "decided", 409);
        }
        Map<String, Object> view = view("wrong-user");
        if (ConsentFlow.isForAnotherUser(request, user)) {
            view.put(
                    "switchAccountUrl",
                    page.logoutUri(pageUri(request.userCode())).toString());
            return render(user, view, 200);
        }
        ClientModel portal = realm.getClientByClientId(request.portalClientId());
        StepUp stepUp = consent.stepUpOf(user, request);
        view = ConsentView.of(
                realm,
                agent,
                portal,
                request.portalClientId(),
                stepUp.granted(),
                request.scopes(),
                request.purpose(),
                request.delegationSeconds(),
                EnvelopeForm.view(stepUp, portal));
        view.put("userCode", request.userCode());
        view.put("signedInAs", user.getUsername());
        view.put("switchAccountUrl", page.logoutUri(pageUri(request.userCode())).toString());
        view.put("nonce", consent.requests().issueNonce(request, user.getId(), stepUp.replacedIds()));
        view.put("stateChecker", page.stateChecker());
        view.put("decisionUrl", page.pageUri("consent/decision").toString());
        return render(user, view, 200);
    }

    private Response codeForm(UserModel user, String errorMessage) {
        Map<String, Object> view = view("code");
        view.put("codeUrl", page.pageUri("consent/code").toString());
        view.put("stateChecker", page.stateChecker());
        if (errorMessage != null) {
            view.put("error", errorMessage);
        }
        return render(user, view, errorMessage == null ? 200 : 400);
    }

    private Response result(UserModel user, String message, String outcome, int status) {
        return result(user, message, outcome, status, null);
    }

    private Response result(UserModel user, String message, String outcome, int status, Map<String, Object> summary) {
        Map<String, Object> view = view("result");
        view.put("message", message);
        view.put("outcome", outcome);
        view.put("manageUrl", page.pageUri("delegations").toString());
        if (summary != null) {
            view.put("summary", summary);
        }
        return render(user, view, status);
    }

    /** A form that did not come from this page: nothing is granted, and the call is audited. */
    private Response refused(UserModel user, String why) {
        new AuditLog(session, realm)
                .recordRefusal(
                        EventType.GRANT_CONSENT,
                        AuditRecord.refusal(Actor.user(user.getId()), OAuthErrorException.ACCESS_DENIED, why)
                                .user(user.getId()));
        return result(user, "proxymeResultRefused", "refused", 403);
    }

    private Response render(UserModel user, Map<String, Object> view, int status) {
        return page.render(ConsentView.TEMPLATE, user, view, status);
    }

    private static Map<String, Object> view(String name) {
        Map<String, Object> view = new HashMap<>();
        view.put("view", name);
        return view;
    }

    private URI pageUri(String userCode) {
        return page.pageUri("consent" + (userCode == null ? "" : "?user_code=" + BrowserPage.encode(userCode)));
    }
}
