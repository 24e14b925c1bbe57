package dev.proxyme.web;

import java.util.function.Supplier;

import jakarta.ws.rs.core.Response;

import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ErrorResponseException;

import dev.proxyme.ProxymeException;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.Actor;
import dev.proxyme.model.AuditRecord;

/**
 * One request's progress: what is known of the caller and the delegation when something is refused, so that the
 * refusal is audited with it and answered in OAuth's error shape ({@code error}, {@code error_description}) with
 * the status the {@link ProxymeException} carries. Refusals of authentication and authorization (401, 403) are
 * audited in a transaction of their own, as Keycloak records its error events; the request's own rolls back.
 */
public final class AuditedCall {

    /** How a 401 tells the caller to authenticate: RFC 6749 section 5.2 (client) or RFC 6750 section 3 (bearer). */
    public enum Challenge {
        CLIENT,
        BEARER
    }

    private final KeycloakSession session;
    private final RealmModel realm;
    private final EventType eventType;
    private Challenge challenge;
    private boolean audited = true;
    private Actor actor = Actor.ANONYMOUS;
    private String agentClientId;
    private String userId;
    private String delegationId;

    public AuditedCall(KeycloakSession session, EventType eventType, Challenge challenge) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.eventType = eventType;
        this.challenge = challenge;
    }

    /**
     * An call whose refusals are answered but not audited: endpoints called for every request to a portal, and
     * the admin API, whose authorization Keycloak checks (and records) before Proxyme runs.
     */
    public static AuditedCall unaudited(KeycloakSession session, Challenge challenge) {
        AuditedCall call = new AuditedCall(session, null, challenge);
        call.audited = false;
        return call;
    }

    public AuditedCall challenge(Challenge challenge) {
        this.challenge = challenge;
        return this;
    }

    public AuditedCall actor(Actor actor) {
        this.actor = actor;
        return this;
    }

    public Actor actor() {
        return actor;
    }

    public AuditedCall agent(String agentClientId) {
        this.agentClientId = agentClientId;
        return this;
    }

    public AuditedCall user(String userId) {
        this.userId = userId;
        return this;
    }

    public AuditedCall delegation(String delegationId) {
        this.delegationId = delegationId;
        return this;
    }

    /** The endpoint's Keycloak event, for what needs one (client authentication records its outcome in it). */
    public EventBuilder event() {
        return new EventBuilder(realm, session, session.getContext().getConnection()).event(eventType);
    }

    /** Runs the action; a {@link ProxymeException} it throws becomes the refusal it describes. */
    public Response run(Supplier<Response> action) {
        try {
            return action.get();
        } catch (ProxymeException refused) {
            throw new ErrorResponseException(refusal(refused));
        }
    }

    /** The audited answer to a refusal. */
    public Response refusal(ProxymeException refused) {
        if (audited && (refused.status() == 401 || refused.status() == 403)) {
            new AuditLog(session, realm)
                    .recordRefusal(
                            eventType,
                            AuditRecord.refusal(actor, refused.error(), refused.description())
                                    .delegation(delegationId, userId, agentClientId, null, null));
        }
        return Refusals.asJson(refused, defaultChallenge(refused));
    }

    private String defaultChallenge(ProxymeException refused) {
        if (refused.status() != 401) {
            return null;
        }
        return challenge == Challenge.BEARER
                ? "Bearer realm=\"" + realm.getName() + "\", error=\"" + refused.error() + "\""
                : "Basic realm=\"" + realm.getName() + "\"";
    }
}
