package dev.proxyme.oauth;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.grants.device.DeviceGrantType;
import org.keycloak.sessions.AuthenticationSessionModel;

import dev.proxyme.ProxymeNode;
import dev.proxyme.clients.RedirectUris;
import dev.proxyme.consent.ConsentView;
import dev.proxyme.consent.EnvelopeForm;
import dev.proxyme.consent.StandardFlowTerms;
import dev.proxyme.model.StepUp;

/**
 * The consent page of an agent's authorization code or device flow (see {@link AgentConsentAction}): the page every
 * flow shows, plus who is granting, whether anyone vouches for the agent, and where the decision goes (a website, a
 * program on this computer, a device). {@code 409}: the page shown again because the agent's access changed since.
 */
final class StandardFlowConsentPage {

    private StandardFlowConsentPage() {}

    static Response render(
            KeycloakSession session,
            RequiredActionContext context,
            StandardFlowTerms request,
            StepUp stepUp,
            Response.Status status) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        Map<String, Object> view = ConsentView.of(
                context.getRealm(),
                request.agent(),
                request.portal(),
                request.portal().getClientId(),
                stepUp.granted(),
                request.scopes(),
                request.purpose(),
                ProxymeNode.of(session).settings().defaultDelegationSeconds(),
                EnvelopeForm.view(stepUp, request.portal()));
        if (status == Response.Status.CONFLICT) {
            view.put("changedMeanwhile", true);
        }
        view.put("decisionUrl", context.getActionUrl().toString());
        view.put("signedInAs", context.getUser().getUsername());
        request.agent().documentHost().ifPresent(host -> view.put("vouchedBy", host));
        view.put("notVerified", request.agent().selfRegistered());
        view.put("standardFlow", true);
        if (DeviceGrantType.isOAuth2DeviceVerificationFlow(authSession)) {
            view.put("returnTo", "device");
        } else {
            // MCP authorization: the user must see where the code goes, and whether that is a program on this computer.
            URI redirect = URI.create(authSession.getRedirectUri());
            view.put("redirectHost", redirect.getHost() + (redirect.getPort() == -1 ? "" : ":" + redirect.getPort()));
            view.put("returnTo", RedirectUris.isLoopback(redirect) ? "loopback" : "host");
        }
        Response page = context.form().setAttribute("proxyme", view).createForm(ConsentView.TEMPLATE);
        return status.getStatusCode() == page.getStatus()
                ? page
                : Response.fromResponse(page).status(status).build();
    }
}
