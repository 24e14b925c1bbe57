package dev.proxyme.api;

import java.io.InputStream;
import java.util.Optional;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import dev.proxyme.ProxymeException;
import dev.proxyme.agent.SelfRegisteredAgents;
import dev.proxyme.agent.SelfRegistrationPolicy;
import dev.proxyme.agent.SelfRegistrationPolicyFactory;
import dev.proxyme.agent.SelfRegistrationRequest;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.model.AuditAction;
import dev.proxyme.model.AuditRecord;
import dev.proxyme.representation.SelfRegistrationResponse;
import dev.proxyme.web.AuditedCall;
import dev.proxyme.web.JsonBody;
import dev.proxyme.web.Responses;

/**
 * {@code POST clients}: the registration endpoint the realm's metadata names (RFC 7591). Where the realm's
 * administrator turned on self-registration ({@link SelfRegistrationPolicy}), a client registers itself as a public
 * agent on the policy's terms; elsewhere it is told, in OAuth's error shape, how it can connect instead: this realm's
 * agents are registered by its administrators, or identified by a client metadata document the realm allows.
 */
public class ClientRegistrationResource {

    static final String HOW_TO_CONNECT = "This realm does not let clients register themselves. Connect with a client"
            + " id its administrator registers for you (pre-registration), or identify the client by a Client ID"
            + " Metadata Document (CIMD) that the realm allows (client policy 'proxyme-agent-documents').";

    private final KeycloakSession session;
    private final RealmModel realm;

    public ClientRegistrationResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(InputStream body) {
        AuditedCall call = new AuditedCall(session, EventType.CLIENT_REGISTER, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            Optional<SelfRegistrationPolicy> policy = SelfRegistrationPolicy.of(realm);
            checkRate(policy);
            SelfRegistrationPolicy terms = policy.orElseThrow(
                    () -> ProxymeException.forbidden(OAuthErrorException.ACCESS_DENIED, HOW_TO_CONNECT));
            SelfRegistrationRequest request = SelfRegistrationRequest.from(JsonBody.read(session, body));
            SelfRegisteredAgents.Registration registered =
                    new SelfRegisteredAgents(session, realm).register(request, terms);

            new AuditLog(session, realm)
                    .record(AuditRecord.of(AuditAction.AGENT_REGISTERED, call.actor())
                            .agent(registered.clientId())
                            .detail("self-registered scopes=" + registered.scopes() + " portals="
                                    + String.join(" ", registered.portals())));
            return Responses.json(Response.Status.CREATED, SelfRegistrationResponse.of(registered, Time.currentTime()));
        });
    }

    /**
     * Counted per address and node before anything is read or written, with self-registration off too (its refusal
     * is audited): {@value SelfRegistrationPolicy#DEFAULT_REGISTRATIONS_PER_MINUTE} a minute without a policy.
     */
    private void checkRate(Optional<SelfRegistrationPolicy> policy) {
        SelfRegistrationPolicyFactory.registrations(session)
                .acquire(
                        realm.getId() + " "
                                + session.getContext().getConnection().getRemoteAddr(),
                        policy.map(SelfRegistrationPolicy::registrationsPerMinute)
                                .orElse(SelfRegistrationPolicy.DEFAULT_REGISTRATIONS_PER_MINUTE),
                        "Too many registrations from this address",
                        null);
    }
}
