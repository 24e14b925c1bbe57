package dev.proxyme.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy;
import org.keycloak.services.clientregistration.policy.ClientRegistrationPolicyManager;
import org.keycloak.services.clientregistration.policy.RegistrationAuth;

import dev.proxyme.clients.Agent;
import dev.proxyme.model.SpaceSeparated;

/**
 * A realm's terms for clients that register themselves (RFC 7591, anonymous): the scopes and portals each may ask
 * for, how many registrations one address may make a minute, how many such agents the realm holds at once, and how
 * long one may go unused before it is removed. Read from the realm's anonymous client registration policy
 * {@value SelfRegistrationPolicyFactory#PROVIDER_ID}; no such policy: self-registration is off.
 *
 * @param portals portal client ids, or {@value Agent#ANY_PORTAL} for any portal of the realm
 */
public record SelfRegistrationPolicy(
        List<String> scopes,
        List<String> portals,
        int registrationsPerMinute,
        int maxAgents,
        long removeUnusedAfterSeconds) {

    public static final String SCOPES = "scopes";
    public static final String PORTALS = "portals";
    public static final String REGISTRATIONS_PER_MINUTE = "registrations-per-minute";
    public static final String MAX_AGENTS = "max-agents";
    public static final String REMOVE_UNUSED_AFTER_SECONDS = "remove-unused-after-seconds";

    public static final int DEFAULT_REGISTRATIONS_PER_MINUTE = 3;
    static final int DEFAULT_MAX_AGENTS = 100;
    static final long DEFAULT_REMOVE_UNUSED_AFTER_SECONDS = 7L * 24 * 3600;

    /** The realm's policy, if an administrator turned self-registration on. */
    public static Optional<SelfRegistrationPolicy> of(RealmModel realm) {
        String anonymous = ClientRegistrationPolicyManager.getComponentTypeKey(RegistrationAuth.ANONYMOUS);
        return realm.getComponentsStream(realm.getId(), ClientRegistrationPolicy.class.getName())
                .filter(component -> SelfRegistrationPolicyFactory.PROVIDER_ID.equals(component.getProviderId()))
                .filter(component -> anonymous.equals(component.getSubType()))
                .findFirst()
                .map(SelfRegistrationPolicy::from);
    }

    /** Reads a policy's configuration; {@link SelfRegistrationPolicyFactory} has validated it. */
    static SelfRegistrationPolicy from(ComponentModel component) {
        return new SelfRegistrationPolicy(
                words(component, SCOPES),
                words(component, PORTALS),
                positiveInt(component, REGISTRATIONS_PER_MINUTE, DEFAULT_REGISTRATIONS_PER_MINUTE),
                positiveInt(component, MAX_AGENTS, DEFAULT_MAX_AGENTS),
                positiveInt(component, REMOVE_UNUSED_AFTER_SECONDS, DEFAULT_REMOVE_UNUSED_AFTER_SECONDS));
    }

    public boolean anyPortal() {
        return portals.contains(Agent.ANY_PORTAL);
    }

    /**
     * The Admin Console keeps one value per field of a multivalued property (an administrator may still type several),
     * and Keycloak keeps no order of them: sorted, the terms read the same on every node and after every restart.
     */
    static List<String> words(ComponentModel component, String key) {
        List<String> words = new ArrayList<>();
        List<String> values =
                component.getConfig() == null ? null : component.getConfig().get(key);
        if (values != null) {
            values.forEach(value -> SpaceSeparated.words(value).stream()
                    .filter(word -> !words.contains(word))
                    .forEach(words::add));
        }
        return words.stream().sorted().toList();
    }

    /** A whole number from 1 to {@link Integer#MAX_VALUE}, or empty when the value is none. */
    static Optional<Long> number(String value) {
        try {
            long parsed = Long.parseLong(value.strip());
            return parsed < 1 || parsed > Integer.MAX_VALUE ? Optional.empty() : Optional.of(parsed);
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /** A setting the policy's validation refused never reaches here but through an import; its default applies. */
    private static long positiveInt(ComponentModel component, String key, long fallback) {
        String value = component.get(key);
        return value == null ? fallback : number(value).orElse(fallback);
    }

    private static int positiveInt(ComponentModel component, String key, int fallback) {
        return (int) positiveInt(component, key, (long) fallback);
    }
}
