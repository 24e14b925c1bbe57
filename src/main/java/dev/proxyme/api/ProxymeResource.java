package dev.proxyme.api;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.proxyme.OAuthErrors;
import dev.proxyme.ProxymeException;
import dev.proxyme.agent.Agent;
import dev.proxyme.agent.AgentRegistration;
import dev.proxyme.api.representation.DelegationRequestResponse;
import dev.proxyme.api.representation.DelegationTokenResponse;
import dev.proxyme.api.representation.RegisterAgentResponse;
import dev.proxyme.api.representation.RevocationResponse;
import dev.proxyme.api.representation.ValidationResponse;
import dev.proxyme.audit.Actor;
import dev.proxyme.consent.ConsentResource;
import dev.proxyme.consent.ConsentService;
import dev.proxyme.consent.DelegationRequest;
import dev.proxyme.audit.AuditAction;
import dev.proxyme.audit.AuditLog;
import dev.proxyme.audit.AuditRecord;
import dev.proxyme.delegation.Delegation;
import dev.proxyme.delegation.DelegationService;
import dev.proxyme.delegation.Scopes;
import dev.proxyme.delegation.TrustedBackends;
import dev.proxyme.proxy.ProxyResource;
import dev.proxyme.selfservice.MyDelegations;
import dev.proxyme.selfservice.MyDelegationsResource;
import dev.proxyme.token.DelegationTokenVerifier;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

/**
 * The first Proxyme service's four operations, under {@code /realms/{realm}/proxyme/}. Each reads top to bottom:
 * authenticate the caller, authorize, read the body, act, respond. Refusals are OAuth error objects, audited.
 */
public class ProxymeResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AuditLog audit;

    public ProxymeResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
        this.audit = new AuditLog(session, realm);
    }

    /** An administrator registers an agent: a new confidential client limited to the given scopes and portals. */
    @POST
    @Path("register_agent")
    @Produces(MediaType.APPLICATION_JSON)
    public Response registerAgent(InputStream body) {
        Attempt attempt = new Attempt(EventType.CLIENT_REGISTER, true);
        return attempt.run(() -> {
            AuthResult caller = Callers.authenticateBearer(session);
            attempt.actor = Actor.admin(caller.user().getId());
            Callers.checkRealmManagementRole(realm, caller, Callers.MANAGE_CLIENTS);

            JsonBody json = readJson(body);
            AgentRegistration.Registered registered = new AgentRegistration(session, realm).register(
                    new AgentRegistration.Request(json.string("name"), json.strings("scopes"), json.strings("portals"),
                            json.integer("token_lifetime_seconds")));

            audit.record(AuditRecord.of(AuditAction.AGENT_REGISTERED, attempt.actor)
                    .agent(registered.agent().clientId())
                    .detail("scopes=" + registered.agent().allowedScopes()
                            + " portals=" + String.join(" ", registered.agent().allowedPortals())));
            return noStore(Response.status(Response.Status.CREATED).entity(RegisterAgentResponse.of(registered)));
        });
    }

    /**
     * A token under a delegation. A trusted backend vouches for its user's consent and may create the delegation;
     * an agent only renews within a delegation it already holds.
     */
    @POST
    @Path("delegate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delegate(InputStream body) {
        Attempt attempt = new Attempt(EventType.TOKEN_EXCHANGE, false);
        return attempt.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, attempt.event());
            Agent callingAgent = Agent.of(caller).orElse(null);
            if (callingAgent != null) {
                attempt.actor = Actor.agent(caller.getClientId());
                attempt.agentClientId = caller.getClientId();
            } else if (TrustedBackends.isTrustedBackend(session, realm, caller)) {
                attempt.actor = Actor.backend(caller.getClientId());
            } else {
                attempt.actor = Actor.client(caller.getClientId());
                throw ProxymeException.forbidden(OAuthErrors.UNAUTHORIZED_CLIENT,
                        "Only agents and trusted backends may obtain delegation tokens");
            }

            JsonBody json = readJson(body);
            DelegationService.Grant grant = callingAgent != null
                    ? delegateAsAgent(attempt, callingAgent, json)
                    : delegateAsBackend(attempt, caller, json);
            return noStore(Response.ok(DelegationTokenResponse.of(grant)));
        });
    }

    private DelegationService.Grant delegateAsAgent(Attempt attempt, Agent agent, JsonBody json) {
        String agentId = json.string("agent_id");
        if (agentId != null && !agentId.equals(agent.clientId())) {
            throw ProxymeException.forbidden(OAuthErrors.ACCESS_DENIED, "An agent can only obtain tokens for itself");
        }
        String requestId = json.string("request_id");
        if (requestId != null) {
            return new ConsentService(session, realm).poll(agent, requestId);
        }
        Scopes scopes = scopesOf(json, false);
        String portal = json.string("portal");
        String delegationId = json.string("delegation_id");
        DelegationService service = new DelegationService(session, realm);
        if (delegationId != null) {
            attempt.delegationId = delegationId;
            return service.renew(agent, delegationId, scopes, portal);
        }
        UserModel user = userOf(json);
        attempt.userId = user.getId();
        if (scopes == null) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "'scopes' or 'delegation_id' is required");
        }
        return service.renew(agent, user, scopes, portal);
    }

    private DelegationService.Grant delegateAsBackend(Attempt attempt, ClientModel backend, JsonBody json) {
        String agentId = json.requiredString("agent_id");
        Agent agent = Agent.of(realm.getClientByClientId(agentId))
                .orElseThrow(() -> ProxymeException.notFound(OAuthErrors.NOT_FOUND,
                        "Unknown agent: " + ProxymeException.printable(agentId)));
        attempt.agentClientId = agent.clientId();
        UserModel user = userOf(json);
        attempt.userId = user.getId();
        return new DelegationService(session, realm).delegateForBackend(backend.getClientId(), user, agent,
                scopesOf(json, true), json.string("portal"), json.integer("expires_in"));
    }

    /**
     * An agent asks a user for a delegation (RFC 8628 style): the answer tells it where to send the user and how often
     * to poll {@code delegate} with the {@code request_id}.
     */
    @POST
    @Path("request_delegation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response requestDelegation(InputStream body) {
        Attempt attempt = new Attempt(EventType.OAUTH2_DEVICE_AUTH, false);
        return attempt.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, attempt.event());
            attempt.actor = Actor.client(caller.getClientId());
            Agent agent = Agent.of(caller).orElseThrow(() -> ProxymeException.forbidden(OAuthErrors.UNAUTHORIZED_CLIENT,
                    "Only agents may request delegations"));
            attempt.actor = Actor.agent(agent.clientId());
            attempt.agentClientId = agent.clientId();

            JsonBody json = readJson(body);
            DelegationRequest request = new ConsentService(session, realm).request(agent, scopesOf(json, true),
                    json.string("portal"), json.string("purpose"), json.string("user"), json.integer("expires_in"));
            String verificationUri = session.getContext().getUri().getBaseUri().toString().replaceAll("/$", "")
                    + "/realms/" + realm.getName() + "/proxyme/consent";
            return noStore(Response.ok(DelegationRequestResponse.of(request, verificationUri)));
        });
    }

    /** The user's own delegations, for the user's own bearer token (any client of the realm may hold one). */
    @GET
    @Path("my/delegations")
    @Produces(MediaType.APPLICATION_JSON)
    public Response myDelegations() {
        Attempt attempt = new Attempt(EventType.USER_INFO_REQUEST, true);
        return attempt.run(() -> noStore(Response.ok(myDelegations(attempt).list())));
    }

    @POST
    @Path("my/delegations/{id}/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeMyDelegation(@PathParam("id") String delegationId) {
        Attempt attempt = new Attempt(EventType.REVOKE_GRANT, true);
        return attempt.run(() -> {
            MyDelegations mine = myDelegations(attempt);
            attempt.delegationId = delegationId;
            mine.revoke(delegationId);
            return noStore(Response.ok(RevocationResponse.revoked(delegationId)));
        });
    }

    /** Ends all of the user's delegations, or all to one agent with {@code {"agent_id"}}. */
    @POST
    @Path("my/delegations/revoke")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeMyDelegations(InputStream body) {
        Attempt attempt = new Attempt(EventType.REVOKE_GRANT, true);
        return attempt.run(() -> {
            MyDelegations mine = myDelegations(attempt);
            String agentId = readJson(body).string("agent_id");
            return noStore(Response.ok(Map.of("status", "revoked", "count", mine.revokeAll(agentId))));
        });
    }

    private MyDelegations myDelegations(Attempt attempt) {
        AuthResult caller = Callers.authenticateBearer(session);
        attempt.actor = Actor.user(caller.user().getId());
        attempt.userId = caller.user().getId();
        if (caller.user().getServiceAccountClientLink() != null) {
            throw ProxymeException.forbidden(OAuthErrors.ACCESS_DENIED, "Service accounts have no delegations of their own");
        }
        return new MyDelegations(session, realm, caller.user());
    }

    /** The user's "My delegations" page in Keycloak's UI. */
    @Path("delegations")
    public MyDelegationsResource delegationsPage() {
        return new MyDelegationsResource(session);
    }

    /** Forward authentication for reverse proxies in front of portals. */
    @Path("proxy")
    public ProxyResource proxy() {
        return new ProxyResource(session);
    }

    /** The pages where users decide on agents' requests, in Keycloak's UI. */
    @Path("consent")
    public ConsentResource consent() {
        return new ConsentResource(session);
    }

    /** The first service's validation, for any confidential client of the realm: {@code {"valid": ...}}. */
    @POST
    @Path("validate_delegation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response validateDelegation(InputStream body) {
        Attempt attempt = new Attempt(EventType.INTROSPECT_TOKEN, false);
        return attempt.run(() -> {
            ClientModel caller = Callers.authenticateClient(session, attempt.event());
            attempt.actor = Actor.client(caller.getClientId());

            String token = readJson(body).requiredString("delegation_token");
            ValidationResponse answer = new DelegationTokenVerifier(session, realm).verify(token)
                    .map(ValidationResponse::of)
                    .orElse(ValidationResponse.INVALID);
            return noStore(Response.ok(answer));
        });
    }

    /**
     * Ends a whole delegation: every token minted under it is inactive at once. With a token, its holder may revoke;
     * with an id, the delegation's agent, a trusted backend or a realm administrator (manage-users).
     */
    @POST
    @Path("revoke_delegation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response revokeDelegation(InputStream body) {
        Attempt attempt = new Attempt(EventType.REVOKE_GRANT, false);
        return attempt.run(() -> {
            Actor actor = authenticateRevoker(attempt);
            attempt.actor = actor;

            JsonBody json = readJson(body);
            String token = json.string("delegation_token");
            String delegationId = json.string("delegation_id");
            if ((token == null) == (delegationId == null)) {
                throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "Send 'delegation_token' or 'delegation_id'");
            }
            DelegationService service = new DelegationService(session, realm);
            if (token != null) {
                delegationId = new DelegationTokenVerifier(session, realm).delegationIdOfGenuineToken(token)
                        .orElseThrow(() -> ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST,
                                "'delegation_token' is not a valid delegation token of this realm"));
            } else {
                attempt.delegationId = delegationId;
                checkMayRevokeById(actor, service.find(delegationId));
            }
            attempt.delegationId = delegationId;
            Delegation revoked = service.revoke(delegationId, actor, "revoked_by_" + actor.type().name().toLowerCase());
            return noStore(Response.ok(RevocationResponse.revoked(revoked.id())));
        });
    }

    private Actor authenticateRevoker(Attempt attempt) {
        if (Callers.hasBearerToken(session)) {
            attempt.bearerChallenge = true;
            AuthResult caller = Callers.authenticateBearer(session);
            attempt.actor = Actor.admin(caller.user().getId());
            Callers.checkRealmManagementRole(realm, caller, Callers.MANAGE_USERS);
            return attempt.actor;
        }
        ClientModel caller = Callers.authenticateClient(session, attempt.event());
        if (Agent.isAgent(caller)) {
            return Actor.agent(caller.getClientId());
        }
        if (TrustedBackends.isTrustedBackend(session, realm, caller)) {
            return Actor.backend(caller.getClientId());
        }
        return Actor.client(caller.getClientId());
    }

    private void checkMayRevokeById(Actor actor, Delegation delegation) {
        boolean allowed = switch (actor.type()) {
            case ADMIN -> true;
            case AGENT -> delegation.agentClientId().equals(actor.id());
            case BACKEND -> true;
            default -> false;
        };
        if (!allowed) {
            throw ProxymeException.forbidden(OAuthErrors.ACCESS_DENIED,
                    "Only the delegation's agent, a trusted backend or a realm administrator may revoke it by id");
        }
    }

    private JsonBody readJson(InputStream body) {
        return JsonBody.read(session.getContext().getRequestHeaders(), body);
    }

    private UserModel userOf(JsonBody json) {
        String userId = json.string("user_id");
        String username = json.string("username");
        if ((userId == null) == (username == null)) {
            throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "Send 'user_id' or 'username'");
        }
        UserModel user = userId != null
                ? session.users().getUserById(realm, userId)
                : session.users().getUserByUsername(realm, username);
        if (user == null) {
            throw ProxymeException.notFound(OAuthErrors.NOT_FOUND, "Unknown user");
        }
        return user;
    }

    private static Scopes scopesOf(JsonBody json, boolean required) {
        List<String> scopes = json.strings("scopes");
        if (scopes == null) {
            if (required) {
                throw ProxymeException.badRequest(OAuthErrors.INVALID_REQUEST, "'scopes' is required");
            }
            return null;
        }
        return Scopes.of(scopes);
    }

    /** RFC 6749 section 5.1: responses carrying tokens or secrets must not be cached. */
    private static Response noStore(Response.ResponseBuilder response) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        noStore.setNoTransform(false);
        return response.type(MediaType.APPLICATION_JSON_TYPE).cacheControl(noStore).header("Pragma", "no-cache").build();
    }

    /**
     * One request's progress: what is known of the caller and the delegation when something is refused, so the
     * refusal is audited with it and answered in OAuth's error shape.
     */
    private final class Attempt {
        private final EventType eventType;
        private boolean bearerChallenge;
        private Actor actor = Actor.ANONYMOUS;
        private String agentClientId;
        private String userId;
        private String delegationId;

        private Attempt(EventType eventType, boolean bearerChallenge) {
            this.eventType = eventType;
            this.bearerChallenge = bearerChallenge;
        }

        EventBuilder event() {
            return new EventBuilder(realm, session, session.getContext().getConnection()).event(eventType);
        }

        Response run(Supplier<Response> action) {
            try {
                return action.get();
            } catch (ProxymeException refused) {
                if (refused.status() == 401 || refused.status() == 403) {
                    audit.recordRefusal(eventType, new AuditRecord(AuditAction.REQUEST_REFUSED, delegationId, userId,
                            agentClientId, null, null, actor, refused.error() + ": " + refused.description()), refused.error());
                }
                throw new ErrorResponseException(errorResponse(refused));
            }
        }

        private Response errorResponse(ProxymeException refused) {
            Response.ResponseBuilder response = Response.status(refused.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new OAuth2ErrorRepresentation(refused.error(), refused.description()));
            if (refused.retryAfterSeconds() != null) {
                response.header("Retry-After", refused.retryAfterSeconds());
            }
            if (refused.status() == 401) {
                // RFC 6750 section 3 for bearer-token callers; RFC 6749 section 5.2 for client authentication.
                response.header(HttpHeaders.WWW_AUTHENTICATE, bearerChallenge
                        ? "Bearer realm=\"" + realm.getName() + "\", error=\"" + refused.error() + "\""
                        : "Basic realm=\"" + realm.getName() + "\"");
            }
            return response.build();
        }
    }
}
