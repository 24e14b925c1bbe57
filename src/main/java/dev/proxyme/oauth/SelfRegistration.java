package dev.proxyme.oauth;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.OIDCWellKnownProviderFactory;
import org.keycloak.protocol.oidc.representations.OIDCConfigurationRepresentation;
import org.keycloak.services.Urls;
import org.keycloak.wellknown.WellKnownProvider;
import org.keycloak.wellknown.WellKnownProviderFactory;

/**
 * Where the realm's metadata sends clients that register themselves (RFC 7591, {@code registration_endpoint}):
 * Proxyme's {@code /realms/{realm}/proxyme/}{@value #PATH}, which tells them the two ways in (a client id an
 * administrator registers, or a client metadata document the realm allows) instead of Keycloak's anonymous
 * registration answering "Policy 'Trusted Hosts' rejected request". Keycloak's own metadata providers
 * ({@code openid-configuration}, {@code oauth-authorization-server}, with whatever an administrator configured for
 * them) build the document; this one, under the same alias and before them (Keycloak's mechanism for
 * replacing a well-known document), only replaces that one endpoint. Keycloak's registration endpoint itself stays,
 * for administrators' registrations with initial access tokens.
 */
public class SelfRegistration implements WellKnownProviderFactory {

    /** The path under {@code /realms/{realm}/proxyme/} that answers registrations. */
    public static final String PATH = "clients";

    /** Keycloak serves, of the providers of one alias, the one with the lowest priority; its own have 100. */
    private static final int BEFORE_KEYCLOAKS = 10;

    private final String alias;

    /** The RFC 8414 document, {@code /.well-known/oauth-authorization-server/realms/{realm}}. */
    public static class AuthorizationServerMetadata extends SelfRegistration {
        public AuthorizationServerMetadata() {
            super("oauth-authorization-server");
        }

        @Override
        public boolean isAvailableViaServerMetadata() {
            return true;
        }
    }

    /** OpenID Connect Discovery, {@code /realms/{realm}/.well-known/openid-configuration}. */
    public static class OpenIdConfiguration extends SelfRegistration {
        public OpenIdConfiguration() {
            super(OIDCWellKnownProviderFactory.PROVIDER_ID);
        }
    }

    protected SelfRegistration(String alias) {
        this.alias = alias;
    }

    @Override
    public WellKnownProvider create(KeycloakSession session) {
        WellKnownProvider keycloaks = session.getKeycloakSessionFactory()
                .getProviderFactory(WellKnownProvider.class, alias)
                .create(session);
        return new WellKnownProvider() {
            @Override
            public Object getConfig() {
                Object config = keycloaks.getConfig();
                if (config instanceof OIDCConfigurationRepresentation metadata) {
                    metadata.setRegistrationEndpoint(
                            Urls.realmBase(session.getContext().getUri().getBaseUri())
                                    .path(session.getContext().getRealm().getName())
                                    .path("proxyme")
                                    .path(PATH)
                                    .build()
                                    .toString());
                }
                return config;
            }

            @Override
            public void close() {
                keycloaks.close();
            }
        };
    }

    @Override
    public String getId() {
        return "proxyme-" + alias;
    }

    @Override
    public String getAlias() {
        return alias;
    }

    @Override
    public int getPriority() {
        return BEFORE_KEYCLOAKS;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
