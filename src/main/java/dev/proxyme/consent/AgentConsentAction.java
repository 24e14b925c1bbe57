package dev.proxyme.consent;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.proxyme.Proxyme;
import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeSettings;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.model.Actor;
import dev.proxyme.model.Agent;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;

/**
 * Proxyme's consent page in Keycloak's own login flow: after the user has logged in (with whatever MFA the realm
 * requires) to an agent's authorization code or device grant request, they see who asks, for which portal, what and
 * for how long, and approve or deny. Approving creates a delegation, noted in the authentication session, from which
 * Keycloak copies it to the agent's client session: every token Keycloak then issues there is issued under it (see
 * {@code oauth.DelegationTokenPostProcessor}). Denying ends the flow with {@code access_denied} (RFC 6749 section
 * 4.1.2.1; RFC 8628 section 3.5).
 */
public class AgentConsentAction implements RequiredActionProvider {

    public static final String PROVIDER_ID = "proxyme-agent-consent";
    /** Authentication-session note: the user has decided, so the action is not asked again in this flow. */
    private static final String DECIDED_NOTE = "proxyme.consent.decided";

    private static final String APPROVED = "approved";
    /** A device flow's approval whose flow this action has ended. */
    private static final String FINISHED = "finished";

    static final String DECISION_FIELD = "decision";

    private final KeycloakSession session;

    public AgentConsentAction(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Every flow of an agent client asks, for this authentication only (never the user's standing required actions).
     * An approved device flow asks again after it: the action ends that flow itself once no other action is pending.
     */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String decided = authSession.getAuthNote(DECIDED_NOTE);
        if (Agent.isAgent(authSession.getClient())
                && (decided == null
                        || APPROVED.equals(decided) && DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession))) {
            authSession.addRequiredAction(PROVIDER_ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        if (APPROVED.equals(context.getAuthenticationSession().getAuthNote(DECIDED_NOTE))) {
            endApprovedDeviceFlow(context);
            return;
        }
        StandardFlowRequest request;
        try {
            request = StandardFlowRequest.of(session, context.getAuthenticationSession());
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return;
        }
        context.challenge(consentPage(context, request, Response.Status.OK));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String decision = context.getHttpRequest().getDecodedFormParameters().getFirst(DECISION_FIELD);
        StandardFlowRequest request;
        try {
            // Checked again: an administrator may have changed the agent while the page was open.
            request = StandardFlowRequest.of(session, authSession);
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return;
        }
        if ("deny".equals(decision)) {
            deny(context, request);
        } else if ("approve".equals(decision)) {
            approve(context, request);
        } else {
            context.challenge(consentPage(context, request, Response.Status.BAD_REQUEST));
        }
    }

    private void approve(RequiredActionContext context, StandardFlowRequest request) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        UserModel user = context.getUser();
        RealmModel realm = context.getRealm();
        DelegationService delegations = new DelegationService(session, realm);
        Delegation delegation;
        try {
            DelegationService.Terms terms = delegations.checkTerms(
                    request.agent(), request.scopes(), request.portal().getClientId(), null);
            Envelope envelope = EnvelopeForm.approved(
                    request.envelope(),
                    delegations.activeOf(
                            user, request.agent().clientId(), request.portal().getClientId()),
                    context.getHttpRequest().getDecodedFormParameters());
            // The user session Keycloak attaches this login to has the root authentication session's id.
            delegation = delegations.grantByConsent(
                    user,
                    request.agent(),
                    terms,
                    request.purpose(),
                    authSession.getParentSession().getId(),
                    DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)
                            ? Delegation.DEVICE_FLOW
                            : Delegation.AUTHORIZATION_CODE_FLOW,
                    envelope,
                    request.envelope().isEmpty());
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return;
        }
        KeycloakConsentMirror.mirror(session, realm, user, request.agent().client(), delegation.scopes());
        authSession.setClientNote(Proxyme.DELEGATION_NOTE, delegation.id());
        authSession.setAuthNote(DECIDED_NOTE, APPROVED);
        context.success();
    }

    /**
     * After the required actions of a device flow Keycloak shows its own grant page, a second consent to the same
     * request; the user has decided on Proxyme's, so the action ends the flow as Keycloak ends it after that page, but
     * only once every other pending required action (set up MFA, accept terms, whatever their order) has run: until
     * then it steps aside, and Keycloak asks it again after each one.
     */
    private void endApprovedDeviceFlow(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        if (!DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)) {
            context.success();
            return;
        }
        if (hasOtherPendingActions(context)) {
            context.ignore();
            return;
        }
        authSession.removeRequiredAction(PROVIDER_ID);
        authSession.setAuthNote(DECIDED_NOTE, FINISHED);
        context.challenge(AuthenticationManager.finishedRequiredActions(
                session,
                authSession,
                null,
                context.getConnection(),
                context.getHttpRequest(),
                context.getUriInfo(),
                context.getEvent()));
    }

    /** A required action other than this one that is enabled in the realm and pending for the user or this login. */
    private static boolean hasOtherPendingActions(RequiredActionContext context) {
        Set<String> pending = new HashSet<>(context.getAuthenticationSession().getRequiredActions());
        context.getUser().getRequiredActionsStream().forEach(pending::add);
        pending.remove(PROVIDER_ID);
        return pending.stream()
                .map(context.getRealm()::getRequiredActionProviderByAlias)
                .anyMatch(model -> model != null && model.isEnabled());
    }

    private void deny(RequiredActionContext context, StandardFlowRequest request) {
        context.getAuthenticationSession().setAuthNote(DECIDED_NOTE, "denied");
        new DelegationService(session, context.getRealm())
                .recordDenial(
                        context.getUser(),
                        request.agent().clientId(),
                        new DelegationService.Terms(request.portal().getClientId(), request.scopes(), 0),
                        DeviceGrantType.isOAuth2DeviceVerificationFlow(context.getAuthenticationSession())
                                ? "device authorization"
                                : "authorization request");
        context.failure();
    }

    /** The request cannot be granted as it stands: nothing is, the refusal is audited, the agent gets access_denied. */
    private void refuse(RequiredActionContext context, String why) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.setAuthNote(DECIDED_NOTE, "refused");
        new AuditLog(session, context.getRealm())
                .recordRefusal(
                        EventType.GRANT_CONSENT,
                        AuditRecord.of(
                                        AuditAction.REQUEST_REFUSED,
                                        Actor.user(context.getUser().getId()))
                                .delegation(
                                        null,
                                        context.getUser().getId(),
                                        authSession.getClient().getClientId(),
                                        null,
                                        null)
                                .detail("access_denied: " + why),
                        "access_denied");
        context.failure();
    }

    private Response consentPage(RequiredActionContext context, StandardFlowRequest request, Response.Status status) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        DelegationService delegations = new DelegationService(session, context.getRealm());
        String portal = request.portal().getClientId();
        Map<String, Object> view = ConsentView.of(
                context.getRealm(),
                request.agent(),
                request.portal(),
                portal,
                delegations.grantedScopes(context.getUser(), request.agent().clientId(), portal),
                request.scopes(),
                request.purpose(),
                ProxymeSettings.current().defaultDelegationSeconds(),
                EnvelopeForm.view(
                        request.envelope(),
                        delegations.activeOf(context.getUser(), request.agent().clientId(), portal)));
        view.put("decisionUrl", context.getActionUrl().toString());
        view.put("standardFlow", true);
        if (DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)) {
            view.put("returnTo", "device");
        } else {
            // MCP authorization: the user must see where the code goes, and whether that is a program on this computer.
            URI redirect = URI.create(authSession.getRedirectUri());
            view.put("redirectHost", redirect.getHost() + (redirect.getPort() == -1 ? "" : ":" + redirect.getPort()));
            view.put("returnTo", RedirectHosts.isLoopback(redirect) ? "loopback" : "host");
        }
        Response page = context.form().setAttribute("proxyme", view).createForm(ConsentView.TEMPLATE);
        return status.getStatusCode() == page.getStatus()
                ? page
                : Response.fromResponse(page).status(status).build();
    }

    @Override
    public void close() {}
}
