package dev.proxyme.oauth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

import dev.proxyme.token.DelegationClaims;
import dev.proxyme.token.DelegationTokenId;

/**
 * Puts {@code act}, {@code delegation_id} and {@code portal} into the answer of standard token introspection.
 * Keycloak's introspection does not return the JWT's claims: it rebuilds a small token from {@code jti}, {@code sub},
 * {@code aud}, {@code scope} and runs only the mappers flagged for introspection. The minter sets the same claims in
 * the JWT itself.
 */
public class DelegationClaimsMapper extends AbstractOIDCProtocolMapper implements TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "proxyme-delegation-claims-mapper";

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = new ArrayList<>();

    static {
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG_PROPERTIES, DelegationClaimsMapper.class);
    }

    /** The mapper as Proxyme attaches it to every agent client. */
    public static ProtocolMapperModel model() {
        ProtocolMapperModel model = new ProtocolMapperModel();
        model.setName("proxyme delegation claims");
        model.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        model.setProtocolMapper(PROVIDER_ID);
        model.setConfig(new HashMap<>(Map.of(OIDCAttributeMapperHelper.INCLUDE_IN_INTROSPECTION, "true")));
        return model;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Proxyme delegation claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds act, delegation_id and portal to the introspection of Proxyme delegation tokens.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    @Override
    protected void setClaim(
            IDToken token,
            ProtocolMapperModel mappingModel,
            UserSessionModel userSession,
            KeycloakSession session,
            ClientSessionContext clientSessionCtx) {
        if (!(token instanceof AccessToken accessToken)) {
            return;
        }
        String[] audience = accessToken.getAudience();
        if (audience == null || audience.length != 1) {
            return;
        }
        DelegationTokenId.delegationIdOf(accessToken.getId()).ifPresent(delegationId -> {
            ClientModel agent = clientSessionCtx.getClientSession().getClient();
            UserModel serviceAccount = session.users().getServiceAccount(agent);
            DelegationClaims.apply(
                    accessToken,
                    delegationId,
                    audience[0],
                    serviceAccount == null ? null : serviceAccount.getId(),
                    agent.getClientId());
        });
    }
}
