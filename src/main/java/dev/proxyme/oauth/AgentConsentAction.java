package dev.proxyme.oauth;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.ProxymeNode;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.clients.Agent;
import dev.proxyme.clients.AgentTerms;
import dev.proxyme.clients.AgentTerms.Terms;
import dev.proxyme.consent.EnvelopeForm;
import dev.proxyme.consent.ScopeChoice;
import dev.proxyme.consent.StandardFlowTerms;
import dev.proxyme.delegation.Approval;
import dev.proxyme.delegation.ConsentGrants;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.model.Delegation;
import dev.proxyme.model.Envelope;
import dev.proxyme.model.Scopes;
import dev.proxyme.model.StepUp;
import dev.proxyme.sessions.AgentClientSession;
import dev.proxyme.sessions.KeycloakConsentMirror;

/**
 * Proxyme's consent page in Keycloak's own login flow: after the user has logged in (with whatever MFA the realm
 * requires) to an agent's authorization code or device grant request, they see who asks, for which portal, what and
 * for how long, and approve or deny. Denying ends the flow with {@code access_denied} (RFC 6749 section 4.1.2.1; RFC
 * 8628 section 3.5).
 *
 * <p>Approving grants nothing yet: every other pending required action (set up an authenticator, accept terms,
 * whatever their order) runs first, the action stepping aside until none is left. Then the delegation is created and
 * noted in the authentication session, from which Keycloak copies it to the agent's client session: every token
 * Keycloak then issues there is issued under it (see {@link DelegationTokenPostProcessor}). A device flow ends here
 * too, as Keycloak ends it after its own grant page, a second consent to the same request.
 */
public class AgentConsentAction implements RequiredActionProvider {

    public static final String PROVIDER_ID = "proxyme-agent-consent";
    static final String DECISION_FIELD = "decision";
    /** Authentication-session notes: what the user decided, and the envelope they approved. */
    private static final String DECIDED_NOTE = "proxyme.consent.decided";

    private static final String ENVELOPE_NOTE = "proxyme.consent.envelope";
    /** The scopes the user checked, kept with the login until the delegation is granted. */
    private static final String SCOPES_NOTE = "proxyme.consent.scopes";
    /** The access the page said an approval replaces ({@link StepUp#replacedIds()}), to hold the decision to it. */
    private static final String SHOWN_NOTE = "proxyme.consent.replaces";

    private static final String APPROVED = "approved";
    private static final String GRANTED = "granted";

    private final KeycloakSession session;

    public AgentConsentAction(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Every flow of an agent client asks, for this authentication only (never the user's standing required actions),
     * and asks again once approved, so as to grant when no other action is pending.
     */
    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String decided = authSession.getAuthNote(DECIDED_NOTE);
        if (Agent.isAgent(authSession.getClient()) && (decided == null || APPROVED.equals(decided))) {
            authSession.addRequiredAction(PROVIDER_ID);
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        StandardFlowTerms request = termsOrRefuse(context);
        if (request == null) {
            return;
        }
        if (APPROVED.equals(context.getAuthenticationSession().getAuthNote(DECIDED_NOTE))) {
            grantOnceNothingElseIsPending(context, request);
            return;
        }
        context.challenge(consentPage(context, request, Response.Status.OK));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        String decision = context.getHttpRequest().getDecodedFormParameters().getFirst(DECISION_FIELD);
        // Checked again: an administrator may have changed the agent while the page was open.
        StandardFlowTerms request = termsOrRefuse(context);
        if (request == null) {
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

    /** The request of this login as it stands; null when it cannot be granted, which is then refused. */
    private StandardFlowTerms termsOrRefuse(RequiredActionContext context) {
        try {
            return StandardFlowTerms.of(session, context.getAuthenticationSession());
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return null;
        }
    }

    /** The user approved: what they chose is kept with the login, and granted once nothing else is pending. */
    private void approve(RequiredActionContext context, StandardFlowTerms request) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        StepUp stepUp = stepUpOf(context, request);
        if (!isAsShown(authSession, stepUp)) {
            context.challenge(consentPage(context, request, Response.Status.CONFLICT));
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        Optional<Scopes> chosen = ScopeChoice.chosen(stepUp, request.scopes(), form);
        if (chosen.isEmpty()) {
            // Nothing checked: nothing is allowed, and what this would have replaced ends (unless it changed at that
            // very moment: then nothing changes, and the agent is refused as well).
            try {
                new ConsentGrants(session, context.getRealm()).endReplaced(context.getUser(), stepUp);
            } catch (ProxymeException changedMeanwhile) {
                // The denial below is what the agent learns either way.
            }
            deny(context, request);
            return;
        }
        Envelope envelope;
        try {
            envelope = EnvelopeForm.approved(stepUp, form);
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return;
        }
        authSession.setAuthNote(SCOPES_NOTE, chosen.get().toString());
        authSession.setAuthNote(DECIDED_NOTE, APPROVED);
        String json = envelope.toJson();
        if (json != null) {
            authSession.setAuthNote(ENVELOPE_NOTE, json);
        }
        context.success();
    }

    /** Steps aside while another required action is pending; then grants, and ends a device flow. */
    private void grantOnceNothingElseIsPending(RequiredActionContext context, StandardFlowTerms request) {
        if (hasOtherPendingActions(context)) {
            context.ignore();
            return;
        }
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        RealmModel realm = context.getRealm();
        Delegation delegation;
        StepUp stepUp = stepUpOf(context, request);
        if (!isAsShown(authSession, stepUp)) {
            refuse(context, "the agent's access changed since the user approved");
            return;
        }
        try {
            Terms terms = AgentTerms.of(
                    realm,
                    request.agent(),
                    request.scopes(),
                    request.portal().getClientId(),
                    ProxymeNode.of(session).settings(),
                    null);
            // The user session Keycloak attaches this login to has the root authentication session's id.
            delegation = new ConsentGrants(session, realm)
                    .grant(new Approval(
                            context.getUser(),
                            request.agent(),
                            terms,
                            request.purpose(),
                            authSession.getParentSession().getId(),
                            isDeviceFlow(authSession) ? Delegation.DEVICE_FLOW : Delegation.AUTHORIZATION_CODE_FLOW,
                            stepUp,
                            Envelope.fromJson(authSession.getAuthNote(ENVELOPE_NOTE)),
                            ScopeChoice.kept(authSession.getAuthNote(SCOPES_NOTE), stepUp, request.scopes())));
        } catch (ProxymeException cannotBeGranted) {
            refuse(context, cannotBeGranted.description());
            return;
        }
        KeycloakConsentMirror.followOnCommit(session, realm, context.getUser().getId(), delegation.agentClientId());
        ApprovedScope.narrowLogin(session, authSession, delegation.scopes());
        AgentClientSession.noteApproval(authSession, delegation.id());
        authSession.setAuthNote(DECIDED_NOTE, GRANTED);
        if (!isDeviceFlow(authSession)) {
            context.success();
            return;
        }
        authSession.removeRequiredAction(PROVIDER_ID);
        context.challenge(DeviceFlowEnd.finish(session, context, request, delegation));
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

    private void deny(RequiredActionContext context, StandardFlowTerms request) {
        context.getAuthenticationSession().setAuthNote(DECIDED_NOTE, "denied");
        new ConsentGrants(session, context.getRealm())
                .recordDenial(
                        context.getUser(),
                        request.agent().clientId(),
                        new Terms(request.portal().getClientId(), request.scopes(), 0),
                        isDeviceFlow(context.getAuthenticationSession())
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
                        AuditRecord.refusal(
                                        Actor.user(context.getUser().getId()), OAuthErrorException.ACCESS_DENIED, why)
                                .user(context.getUser().getId())
                                .agent(authSession.getClient().getClientId()));
        context.failure();
    }

    private StepUp stepUpOf(RequiredActionContext context, StandardFlowTerms request) {
        return new ConsentGrants(session, context.getRealm())
                .stepUpOf(
                        context.getUser(),
                        request.agent().clientId(),
                        request.portal().getClientId(),
                        request.envelope());
    }

    /** Whether the access an approval replaces is still what the page showed (nothing revoked, expired or added). */
    private static boolean isAsShown(AuthenticationSessionModel authSession, StepUp stepUp) {
        return stepUp.replacedIds().equals(authSession.getAuthNote(SHOWN_NOTE));
    }

    private static boolean isDeviceFlow(AuthenticationSessionModel authSession) {
        return DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession);
    }

    private Response consentPage(RequiredActionContext context, StandardFlowTerms request, Response.Status status) {
        StepUp stepUp = stepUpOf(context, request);
        context.getAuthenticationSession().setAuthNote(SHOWN_NOTE, stepUp.replacedIds());
        return StandardFlowConsentPage.render(session, context, request, stepUp, status);
    }

    @Override
    public void close() {}
}
