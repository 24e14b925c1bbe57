package dev.proxyme.oauth;

import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.token.TokenPostProcessor;
import org.keycloak.protocol.oidc.token.TokenPostProcessorFactory;

/** Registers {@link DelegationTokenPostProcessor} with Keycloak's token post-processing (SPI {@code token-interceptor}). */
public class DelegationTokenPostProcessorFactory implements TokenPostProcessorFactory {

    public static final String PROVIDER_ID = "proxyme-delegation-tokens";

    @Override
    public TokenPostProcessor create(KeycloakSession session) {
        return new DelegationTokenPostProcessor(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** First (Keycloak runs the highest order first): other post-processors see the delegation token's audience. */
    @Override
    public int order() {
        return 1000;
    }
}
