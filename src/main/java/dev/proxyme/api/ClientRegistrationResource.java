package dev.proxyme.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;

import dev.proxyme.ProxymeException;
import dev.proxyme.web.AuditedCall;

/**
 * {@code POST clients}: the registration endpoint the realm's metadata names (RFC 7591). A client that registers
 * itself is told, in OAuth's error shape, how it can connect instead: this realm's agents are registered by its
 * administrators, or identified by a client metadata document the realm allows.
 */
public class ClientRegistrationResource {

    static final String HOW_TO_CONNECT = "This realm does not let clients register themselves. Connect with a client"
            + " id its administrator registers for you (pre-registration), or identify the client by a Client ID"
            + " Metadata Document (CIMD) that the realm allows (client policy 'proxyme-agent-documents').";

    private final KeycloakSession session;

    public ClientRegistrationResource(KeycloakSession session) {
        this.session = session;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response register() {
        AuditedCall call = new AuditedCall(session, EventType.CLIENT_REGISTER, AuditedCall.Challenge.BEARER);
        return call.run(() -> {
            throw ProxymeException.forbidden(OAuthErrorException.ACCESS_DENIED, HOW_TO_CONNECT);
        });
    }
}
