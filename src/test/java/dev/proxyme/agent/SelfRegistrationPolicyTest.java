package dev.proxyme.agent;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfRegistrationPolicyTest {

    private static ComponentModel component(String key, List<String> values) {
        ComponentModel component = new ComponentModel();
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.put(key, values);
        component.setConfig(config);
        return component;
    }

    @Test
    void wordsAreReadFromEveryFieldOnceAndInOneOrder() {
        ComponentModel component = component(SelfRegistrationPolicy.SCOPES, List.of("read write", " read ", "admin"));
        assertEquals(List.of("admin", "read", "write"), SelfRegistrationPolicy.words(component, "scopes"));
        assertEquals(List.of(), SelfRegistrationPolicy.words(component, "portals"));
    }

    @Test
    void numbersAreWholeAndPositive() {
        assertEquals(Optional.of(3L), SelfRegistrationPolicy.number(" 3 "));
        assertEquals(Optional.of((long) Integer.MAX_VALUE), SelfRegistrationPolicy.number("2147483647"));
        for (String wrong : List.of("0", "-1", "2147483648", "1.5", "1e3", "", "three", "0x10")) {
            assertTrue(SelfRegistrationPolicy.number(wrong).isEmpty(), wrong);
        }
    }

    @Test
    void aSettingNoValidationCheckedFallsBackToItsDefault() {
        SelfRegistrationPolicy policy =
                SelfRegistrationPolicy.from(component(SelfRegistrationPolicy.MAX_AGENTS, List.of("-5")));
        assertEquals(SelfRegistrationPolicy.DEFAULT_MAX_AGENTS, policy.maxAgents());
        assertEquals(SelfRegistrationPolicy.DEFAULT_REGISTRATIONS_PER_MINUTE, policy.registrationsPerMinute());
        assertEquals(SelfRegistrationPolicy.DEFAULT_REMOVE_UNUSED_AFTER_SECONDS, policy.removeUnusedAfterSeconds());
        assertFalse(policy.anyPortal());
        assertTrue(SelfRegistrationPolicy.from(component(SelfRegistrationPolicy.PORTALS, List.of("*")))
                .anyPortal());
    }
}
