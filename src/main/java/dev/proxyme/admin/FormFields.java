package dev.proxyme.admin;

import java.util.List;

import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * How the Admin Console's Proxyme forms name their fields: each field's label and help are Proxyme's messages
 * {@code proxymeSetting<Field>} and {@code proxymeSetting<Field>Help}, shipped in the jar (en, de).
 */
final class FormFields {

    private FormFields() {}

    /** The message key of a field's label. */
    static String labelKey(String field) {
        return "proxymeSetting" + Character.toUpperCase(field.charAt(0)) + field.substring(1);
    }

    static void add(
            ProviderConfigurationBuilder form, String field, String type, String defaultValue, List<String> options) {
        form.property()
                .name(field)
                .label(labelKey(field))
                .helpText(labelKey(field) + "Help")
                .type(type)
                .defaultValue(defaultValue)
                .options(options)
                .add();
    }
}
