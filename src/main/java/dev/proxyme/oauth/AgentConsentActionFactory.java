package dev.proxyme.oauth;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;

/** Registers Proxyme's consent page as a required action; {@link #install} enables it in a realm, after every other. */
public class AgentConsentActionFactory implements RequiredActionFactory {

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new AgentConsentAction(session);
    }

    /**
     * Enables the action in the realm, last (MFA set-up, terms, password updates come first: the user approves once
     * they are done). An administrator who disables it stops agents' standard flows rather than opening them: Keycloak
     * issues an agent no token outside a delegation.
     */
    public static void install(RealmModel realm) {
        if (realm.getRequiredActionProviderByAlias(AgentConsentAction.PROVIDER_ID) != null) {
            return;
        }
        int last = realm.getRequiredActionProvidersStream()
                .mapToInt(RequiredActionProviderModel::getPriority)
                .max()
                .orElse(0);
        RequiredActionProviderModel model = new RequiredActionProviderModel();
        model.setAlias(AgentConsentAction.PROVIDER_ID);
        model.setProviderId(AgentConsentAction.PROVIDER_ID);
        model.setName("Approve an agent's access (Proxyme)");
        model.setEnabled(true);
        model.setDefaultAction(false);
        model.setPriority(last + 10);
        realm.addRequiredActionProvider(model);
    }

    @Override
    public String getDisplayText() {
        return "Approve an agent's access (Proxyme)";
    }

    @Override
    public String getId() {
        return AgentConsentAction.PROVIDER_ID;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
