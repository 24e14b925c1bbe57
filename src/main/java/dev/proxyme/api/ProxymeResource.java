package dev.proxyme.api;

import jakarta.ws.rs.Path;

import org.keycloak.models.KeycloakSession;

import dev.proxyme.oauth.SelfRegistration;
import dev.proxyme.pages.AdminDelegationsPage;
import dev.proxyme.pages.ConsentPages;
import dev.proxyme.pages.MyDelegationsPage;
import dev.proxyme.proxy.AssertionCache;
import dev.proxyme.proxy.ProxyResource;
import dev.proxyme.selfservice.MyDelegationsApi;

/**
 * Proxyme under {@code /realms/{realm}/proxyme/}: the first Proxyme service's operations (same names, same JSON),
 * an agent's request for its user's consent, the user's pages and JSON, and the reverse proxy's check. Each path
 * leads to the resource of its capability.
 */
public class ProxymeResource {

    private final KeycloakSession session;
    private final AssertionCache assertions;

    public ProxymeResource(KeycloakSession session, AssertionCache assertions) {
        this.session = session;
        this.assertions = assertions;
    }

    @Path("register_agent")
    public RegisterAgentResource registerAgent() {
        return new RegisterAgentResource(session);
    }

    /** The registration endpoint of the realm's metadata (RFC 7591): it says how a client connects instead. */
    @Path(SelfRegistration.PATH)
    public ClientRegistrationResource clientRegistration() {
        return new ClientRegistrationResource(session);
    }

    @Path("delegate")
    public DelegateResource delegate() {
        return new DelegateResource(session);
    }

    @Path("request_delegation")
    public RequestDelegationResource requestDelegation() {
        return new RequestDelegationResource(session);
    }

    @Path("validate_delegation")
    public ValidateDelegationResource validateDelegation() {
        return new ValidateDelegationResource(session);
    }

    @Path("revoke_delegation")
    public RevokeDelegationResource revokeDelegation() {
        return new RevokeDelegationResource(session);
    }

    /** The user's own delegations as JSON, for the user's own bearer token. */
    @Path("my/delegations")
    public MyDelegationsApi myDelegations() {
        return new MyDelegationsApi(session);
    }

    /** The user's "My delegations" page in Keycloak's UI. */
    @Path("delegations")
    public MyDelegationsPage delegationsPage() {
        return new MyDelegationsPage(session);
    }

    /** The pages where users decide on agents' requests, in Keycloak's UI. */
    @Path("admin")
    public AdminDelegationsPage adminPage() {
        return new AdminDelegationsPage(session);
    }

    @Path("consent")
    public ConsentPages consent() {
        return new ConsentPages(session);
    }

    /** Forward authentication for reverse proxies in front of portals. */
    @Path("proxy")
    public ProxyResource proxy() {
        return new ProxyResource(session, assertions);
    }
}
