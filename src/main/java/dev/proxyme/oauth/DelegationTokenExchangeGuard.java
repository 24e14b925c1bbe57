package dev.proxyme.oauth;

import jakarta.ws.rs.core.Response;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.services.CorsErrorResponseException;

import dev.proxyme.token.ProxymeTokens;

/**
 * Refuses every token exchange (RFC 8693) whose subject or actor token is a delegation token or an identity
 * assertion. Keycloak's own exchange providers verify such a token like any access token of the realm and never ask
 * its grant type's {@code isTokenAllowed}: exchanged, a delegation token would become an ordinary token of the user,
 * with the user's roles, beyond the portal and beyond the delegation's revocation.
 */
public class DelegationTokenExchangeGuard implements TokenExchangeProvider {

    @Override
    public boolean supports(TokenExchangeContext context) {
        return ProxymeTokens.isProxymeToken(context.getFormParams().getFirst(OAuth2Constants.SUBJECT_TOKEN))
                || ProxymeTokens.isProxymeToken(context.getFormParams().getFirst(OAuth2Constants.ACTOR_TOKEN));
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        context.getEvent().detail(Details.REASON, "delegation tokens cannot be exchanged");
        context.getEvent().error(Errors.INVALID_TOKEN);
        throw new CorsErrorResponseException(
                context.getCors(),
                OAuthErrorException.INVALID_REQUEST,
                "Delegation tokens cannot be exchanged: they are valid only at their portal",
                Response.Status.BAD_REQUEST);
    }

    @Override
    public void close() {}
}
