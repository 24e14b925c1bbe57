package dev.proxyme.oauth;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.services.managers.AuthenticationManager;

import dev.proxyme.consent.ConsentView;
import dev.proxyme.consent.StandardFlowTerms;
import dev.proxyme.model.Delegation;
import dev.proxyme.web.Responses;

/**
 * The end of an agent's device flow (RFC 8628) once the user approved. Keycloak finishes its flow: the user and client
 * sessions, the LOGIN event, the device code approved for the polling agent. It would then redirect to its "Device Login
 * Successful" page, which knows nothing of the request (a request of its own, without a session); the user sees
 * Proxyme's result page instead: what the agent may now do, until when, and where to manage it. Any other answer of
 * Keycloak's (an expired code, a disabled user) is shown as Keycloak gives it.
 */
final class DeviceFlowEnd {

    private DeviceFlowEnd() {}

    static Response finish(
            KeycloakSession session, RequiredActionContext context, StandardFlowTerms request, Delegation delegation) {
        Response finished = AuthenticationManager.finishedRequiredActions(
                session,
                context.getAuthenticationSession(),
                null,
                context.getConnection(),
                context.getHttpRequest(),
                context.getUriInfo(),
                context.getEvent());
        if (!isApproved(context, finished)) {
            return finished;
        }
        Map<String, Object> view = new HashMap<>();
        view.put("view", "result");
        view.put("message", "proxymeResultApprovedDevice");
        view.put("outcome", "approved");
        view.put("manageUrl", Responses.proxymeUri(session, "delegations").toString());
        view.put(
                "summary",
                ConsentView.summary(
                        context.getRealm(),
                        request.agent(),
                        request.portal(),
                        request.portal().getClientId(),
                        delegation.scopes(),
                        delegation.expiresAt()));
        // Detached: the authentication session is gone with the finished flow, the page links nowhere back into it.
        return session.getProvider(LoginFormsProvider.class)
                .setAuthenticationSession(context.getAuthenticationSession())
                .setDetachedAuthSession()
                .setAttribute("proxyme", view)
                .createForm(ConsentView.TEMPLATE);
    }

    /** Keycloak's redirect to its device status page without an error: the device code is approved. */
    private static boolean isApproved(RequiredActionContext context, Response finished) {
        URI location = finished.getLocation();
        if (finished.getStatus() != Response.Status.FOUND.getStatusCode()
                || location == null
                || location.getRawQuery() != null) {
            return false;
        }
        URI status = DeviceGrantType.oauth2DeviceVerificationCompletedUrl(context.getUriInfo())
                .build(context.getRealm().getName());
        return status.getPath().equals(location.getPath());
    }
}
