package dev.proxyme.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminRoot;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

import dev.proxyme.ProxymeException;

/**
 * A page of the Admin Console (Keycloak's declarative UI, feature {@code declarative-ui}) listing one kind of
 * Proxyme client (agents, portals) with its Proxyme settings, one row each. The client stays what Proxyme reads; the
 * row is its form: saving checks every field (an error says which) and writes the client, and whenever the client
 * changes some other way (Proxyme's registration, the admin REST API, Keycloak's own client screens, a start) the
 * row is set to what Proxyme then enforces, so the page never shows a setting Proxyme does not use.
 */
abstract class ClientSettingsPage implements UiPageProvider, UiPageProviderFactory<ComponentModel> {

    /** The row's client, by client id (Keycloak's client picker stores it so). */
    static final String CLIENT = "client";

    private static final Logger logger = Logger.getLogger(ClientSettingsPage.class);
    /** Set while a row follows its client: what it is given is the client's own state, not an administrator's form. */
    private static final String FOLLOWING = ClientSettingsPage.class.getName() + ".following";

    /** One setting: a form field and what the client's state makes of it. */
    protected record Field(String name, String type, List<String> options, Current current) {}

    @FunctionalInterface
    protected interface Current {
        List<String> of(KeycloakSession session, ClientModel client);
    }

    /** Whether the client is of the page's kind, and has a row. */
    abstract boolean lists(ClientModel client);

    abstract List<Field> fields();

    /** Checks the form's values for the client; a refusal's description tells the administrator what is wrong. */
    abstract void check(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form);

    abstract void write(KeycloakSession session, RealmModel realm, ClientModel client, ComponentModel form);

    /** The message key that says a client is not of the page's kind. */
    abstract String notOfKindMessage();

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ProviderConfigurationBuilder form = ProviderConfigurationBuilder.create();
        form.property()
                .name(CLIENT)
                .label(getId() + "Client")
                .helpText(getId() + "ClientHelp")
                .type(ProviderConfigProperty.CLIENT_LIST_TYPE)
                .required(true)
                .add();
        for (Field field : fields()) {
            FormFields.add(form, field.name(), field.type(), null, field.options());
        }
        return form.build();
    }

    @Override
    public Map<String, Object> getTypeMetadata() {
        List<String> columns = new ArrayList<>(List.of(CLIENT));
        fields().stream().limit(2).map(Field::name).forEach(columns::add);
        return Map.of("displayFields", columns);
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel form)
            throws ComponentValidationException {
        if (session.getAttribute(FOLLOWING) != null) {
            return;
        }
        if (!realm.getId().equals(form.getParentId())) {
            // A row of another parent would write its client, yet never be listed.
            throw new ComponentValidationException("proxymeSettingNotOfThisRealm");
        }
        canonicalize(form);
        ClientModel client = form.get(CLIENT) == null ? null : realm.getClientByClientId(form.get(CLIENT));
        if (client == null || !lists(client)) {
            throw new ComponentValidationException(notOfKindMessage(), String.valueOf(form.get(CLIENT)));
        }
        checkCanManage(session, realm, client);
        Optional<ComponentModel> other =
                rowOf(realm, client.getClientId()).filter(row -> !Objects.equals(row.getId(), form.getId()));
        if (other.isPresent()) {
            throw new ComponentValidationException("proxymeSettingClientHasRow", client.getClientId());
        }
        try {
            check(session, realm, client, form);
        } catch (ProxymeException refused) {
            // As a parameter: a message is a pattern, and the value it quotes may hold braces.
            throw new ComponentValidationException("{0}", refused.description());
        }
    }

    /**
     * Keeps only the form's own fields, one value each where the field has one, stripped: what the row stores is
     * what was checked and written.
     */
    private void canonicalize(ComponentModel form) {
        List<String> single = new ArrayList<>(List.of(CLIENT));
        List<String> multiple = new ArrayList<>();
        for (Field field : fields()) {
            (ProviderConfigProperty.MULTIVALUED_STRING_TYPE.equals(field.type()) ? multiple : single).add(field.name());
        }
        form.getConfig().keySet().removeIf(key -> !single.contains(key) && !multiple.contains(key));
        for (String field : single) {
            List<String> values = form.getConfig().getList(field);
            if (values != null && values.size() > 1) {
                throw new ComponentValidationException("proxymeSettingOneValue", FormFields.labelKey(field));
            }
            String value = single(form, field);
            form.getConfig().putSingle(field, value == null ? "" : value);
        }
        for (String field : multiple) {
            form.getConfig().put(field, new ArrayList<>(values(form, field)));
        }
    }

    /**
     * Keycloak's component endpoint asks only for {@code manage-realm}; what a row writes is its client's, which
     * Keycloak gives to whoever may manage that client ({@code manage-clients}, or its fine-grained permission).
     */
    private static void checkCanManage(KeycloakSession session, RealmModel realm, ClientModel client) {
        RealmModel managed = session.getContext().getRealm();
        try {
            AdminAuth admin = AdminRoot.authenticateRealmAdminRequest(session);
            AdminPermissions.evaluator(session, realm, admin).clients().requireManage(client);
        } finally {
            session.getContext().setRealm(managed);
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel form) {
        writeUnlessFollowing(session, realm, form);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel old, ComponentModel form) {
        writeUnlessFollowing(session, realm, form);
    }

    private void writeUnlessFollowing(KeycloakSession session, RealmModel realm, ComponentModel form) {
        if (session.getAttribute(FOLLOWING) == null) {
            write(session, realm, realm.getClientByClientId(form.get(CLIENT)), form);
        }
    }

    /**
     * Sets the client's row on every such page to the client's state: made when the client became one of the page's
     * kind, removed when it no longer is (or is gone). A failure here is logged: a row is a view of the client.
     */
    static void follow(KeycloakSession session, RealmModel realm, String clientId) {
        pages(session).forEach(page -> {
            // A change of the client's id leaves the row of its former id naming nothing.
            page.dropRowsOfClientsGone(realm);
            page.followOne(session, realm, clientId);
        });
    }

    /** Every client's row, as at a start: rows of clients since removed go, once, and every client follows. */
    static void followAll(KeycloakSession session, RealmModel realm) {
        List<String> clientIds =
                realm.getClientsStream().map(ClientModel::getClientId).toList();
        pages(session).forEach(page -> {
            page.dropRowsOfClientsGone(realm);
            clientIds.forEach(clientId -> page.followOne(session, realm, clientId));
        });
    }

    private static java.util.stream.Stream<ClientSettingsPage> pages(KeycloakSession session) {
        return session.getKeycloakSessionFactory()
                .getProviderFactoriesStream(UiPageProvider.class)
                .filter(ClientSettingsPage.class::isInstance)
                .map(ClientSettingsPage.class::cast);
    }

    static void forget(RealmModel realm, String clientId) {
        realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(row -> clientId.equals(row.get(CLIENT)))
                .toList()
                .forEach(realm::removeComponent);
    }

    /** A client renamed (its client id changed) or removed past Proxyme's listener leaves a row naming nothing. */
    private void dropRowsOfClientsGone(RealmModel realm) {
        realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(row -> getId().equals(row.getProviderId()))
                .filter(row -> row.get(CLIENT) == null || realm.getClientByClientId(row.get(CLIENT)) == null)
                .toList()
                .forEach(realm::removeComponent);
    }

    private void followOne(KeycloakSession session, RealmModel realm, String clientId) {
        ClientModel client = realm.getClientByClientId(clientId);
        Optional<ComponentModel> existing = rowOf(realm, clientId);
        session.setAttribute(FOLLOWING, Boolean.TRUE);
        try {
            if (client == null || !lists(client)) {
                existing.ifPresent(realm::removeComponent);
                return;
            }
            ComponentModel row = existing.orElseGet(() -> newRow(realm, client));
            boolean changed = existing.isEmpty();
            for (Field field : fields()) {
                List<String> current = field.current().of(session, client);
                if (!current.equals(row.getConfig().getList(field.name()))) {
                    row.getConfig().put(field.name(), current);
                    changed = true;
                }
            }
            if (changed && existing.isPresent()) {
                realm.updateComponent(row);
            } else if (changed) {
                realm.addComponentModel(row);
            }
        } catch (RuntimeException failed) {
            logger.warnf("The %s row of client %s does not follow it: %s", getId(), clientId, failed.toString());
        } finally {
            session.removeAttribute(FOLLOWING);
        }
    }

    private ComponentModel newRow(RealmModel realm, ClientModel client) {
        ComponentModel row = new ComponentModel();
        row.setName(client.getClientId());
        row.setParentId(realm.getId());
        row.setProviderType(UiPageProvider.class.getName());
        row.setProviderId(getId());
        row.put(CLIENT, client.getClientId());
        return row;
    }

    private Optional<ComponentModel> rowOf(RealmModel realm, String clientId) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(row -> getId().equals(row.getProviderId()))
                .filter(row -> clientId.equals(row.get(CLIENT)))
                .findFirst();
    }

    /** A form field's single value, stripped; null when empty. */
    static String single(ComponentModel form, String field) {
        String value = form.get(field);
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** A form field's values, stripped, without empty ones. */
    static List<String> values(ComponentModel form, String field) {
        List<String> values = form.getConfig().getList(field);
        return values == null
                ? List.of()
                : values.stream()
                        .filter(v -> v != null && !v.isBlank())
                        .map(String::strip)
                        .toList();
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
