package dev.proxyme.admin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.keycloak.Config;
import org.keycloak.common.Profile;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import dev.proxyme.Proxyme;
import dev.proxyme.consent.PendingRequests;

/**
 * The realm's Proxyme settings as a "Proxyme" tab of the Admin Console's realm settings (Keycloak's declarative UI,
 * feature {@code declarative-ui}). The realm's attributes stay what Proxyme reads; the tab's component is their form:
 * saving it checks every field (an error names the field) and writes the attributes, and whenever the attributes
 * change some other way (the admin REST API, an import, a start) the form is set to what Proxyme then enforces, so the
 * tab never shows a value Proxyme does not use.
 */
public class RealmSettingsTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    /** The tab's id, and the admin theme's message key of its title. */
    public static final String ID = "proxyme";
    /**
     * Links, not settings: the Admin Console shows a field of this type as the link it holds. Where the realm's own
     * administrators find, open and revoke its delegations, and where the master realm's administrators do.
     */
    private static final Map<String, Function<RealmModel, String>> LINKS = new LinkedHashMap<>();

    static {
        LINKS.put("delegationsPage", realm -> "/realms/" + realm.getName() + "/proxyme/admin");
        LINKS.put(
                "delegationsPageForMasterAdmins",
                realm -> "/realms/" + Config.getAdminRealm() + "/proxyme/admin/realms/" + realm.getName());
    }

    /** One setting: its form field, the realm attribute it writes, and what Proxyme makes of the attribute. */
    private record Setting(
            String field, String attribute, String type, String defaultValue, Function<RealmModel, String> effective) {}

    private static final List<Setting> SETTINGS = List.of(
            new Setting(
                    "requestLifespanSeconds",
                    PendingRequests.LIFESPAN_ATTRIBUTE,
                    ProviderConfigProperty.INTEGER_TYPE,
                    Long.toString(PendingRequests.DEFAULT_LIFESPAN_SECONDS),
                    realm -> Long.toString(PendingRequests.lifespanOf(realm))),
            new Setting(
                    "delegationsOutliveLogin",
                    Proxyme.OUTLIVE_LOGIN_ATTRIBUTE,
                    ProviderConfigProperty.BOOLEAN_TYPE,
                    "false",
                    realm -> Boolean.toString(
                            Boolean.parseBoolean(realm.getAttribute(Proxyme.OUTLIVE_LOGIN_ATTRIBUTE)))),
            new Setting(
                    "activity",
                    Proxyme.ACTIVITY_ATTRIBUTE,
                    ProviderConfigProperty.BOOLEAN_TYPE,
                    "true",
                    realm -> Boolean.toString(!"false".equals(realm.getAttribute(Proxyme.ACTIVITY_ATTRIBUTE)))),
            new Setting(
                    "tokenEvents",
                    Proxyme.TOKEN_EVENTS_ATTRIBUTE,
                    ProviderConfigProperty.BOOLEAN_TYPE,
                    "false",
                    realm -> Boolean.toString(
                            Boolean.parseBoolean(realm.getAttribute(Proxyme.TOKEN_EVENTS_ATTRIBUTE)))));

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getHelpText() {
        return "proxymeRealmSettingsHelp";
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab";
    }

    @Override
    public Map<String, String> getParams() {
        return Map.of("tab", ID);
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ProviderConfigurationBuilder form = ProviderConfigurationBuilder.create();
        for (Setting setting : SETTINGS) {
            FormFields.add(form, setting.field(), setting.type(), setting.defaultValue(), null);
        }
        LINKS.keySet().forEach(link -> FormFields.add(form, link, ProviderConfigProperty.URL_TYPE, null, null));
        return form.build();
    }

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel form)
            throws ComponentValidationException {
        if (!realm.getId().equals(form.getParentId())
                || realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                        .anyMatch(tab ->
                                ID.equals(tab.getProviderId()) && !tab.getId().equals(form.getId()))) {
            // One tab per realm: a second, or one of another parent, would write the realm unseen.
            throw new ComponentValidationException("proxymeSettingOneTab");
        }
        form.getConfig()
                .keySet()
                .removeIf(key -> SETTINGS.stream().noneMatch(s -> s.field().equals(key)));
        LINKS.forEach((link, url) -> form.getConfig().putSingle(link, url.apply(realm)));
        String lifespan = form.get("requestLifespanSeconds");
        if (lifespan == null
                || !lifespan.strip().matches("[0-9]{1,5}")
                || form.getConfig().get("requestLifespanSeconds").size() > 1) {
            throw invalidLifespan();
        }
        long seconds = Long.parseLong(lifespan.strip());
        if (seconds < PendingRequests.MIN_LIFESPAN_SECONDS || seconds > PendingRequests.MAX_LIFESPAN_SECONDS) {
            throw invalidLifespan();
        }
        form.getConfig().putSingle("requestLifespanSeconds", Long.toString(seconds));
        for (Setting setting : SETTINGS) {
            if (ProviderConfigProperty.BOOLEAN_TYPE.equals(setting.type())) {
                String value = form.get(setting.field());
                List<String> values = form.getConfig().get(setting.field());
                if (value != null && !"true".equals(value) && !"false".equals(value)
                        || values != null && values.size() > 1) {
                    throw new ComponentValidationException(
                            "proxymeSettingNotYesOrNo", FormFields.labelKey(setting.field()));
                }
            }
        }
    }

    private static ComponentValidationException invalidLifespan() {
        return new ComponentValidationException(
                "proxymeSettingRequestLifespanInvalid",
                Long.toString(PendingRequests.MIN_LIFESPAN_SECONDS),
                Long.toString(PendingRequests.MAX_LIFESPAN_SECONDS));
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel form) {
        write(realm, form);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel old, ComponentModel form) {
        write(realm, form);
    }

    private static void write(RealmModel realm, ComponentModel form) {
        for (Setting setting : SETTINGS) {
            String value = form.get(setting.field());
            realm.setAttribute(setting.attribute(), value == null ? setting.defaultValue() : value.strip());
        }
    }

    /** Sets the tab's form to what Proxyme makes of the realm's attributes (creating it the first time). */
    static void followAttributes(RealmModel realm) {
        if (!Profile.isFeatureEnabled(Profile.Feature.DECLARATIVE_UI)) {
            return;
        }
        Optional<ComponentModel> existing = realm.getComponentsStream(realm.getId(), UiTabProvider.class.getName())
                .filter(component -> ID.equals(component.getProviderId()))
                .findFirst();
        ComponentModel form = existing.orElseGet(() -> {
            ComponentModel created = new ComponentModel();
            created.setName("Proxyme");
            created.setParentId(realm.getId());
            created.setProviderType(UiTabProvider.class.getName());
            created.setProviderId(ID);
            return created;
        });
        boolean changed = existing.isEmpty();
        for (Setting setting : SETTINGS) {
            String effective = setting.effective().apply(realm);
            if (!effective.equals(form.get(setting.field()))) {
                form.put(setting.field(), effective);
                changed = true;
            }
        }
        for (Map.Entry<String, Function<RealmModel, String>> link : LINKS.entrySet()) {
            if (!link.getValue().apply(realm).equals(form.get(link.getKey()))) {
                form.put(link.getKey(), link.getValue().apply(realm));
                changed = true;
            }
        }
        if (!changed) {
            return;
        }
        if (existing.isPresent()) {
            realm.updateComponent(form);
        } else {
            realm.addComponentModel(form);
        }
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
