package dev.proxyme.token;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DelegationTokenIdTest {

    private static final String DELEGATION = "0b7c2f4e-8a1d-4c3b-9e6f-123456789abc";

    @Test
    void embedsTheDelegationIdAfterKeycloaksContextPrefix() {
        String id = DelegationTokenId.withDelegation("trrtpx:Zk3Jm0-abc_def", DELEGATION);
        assertEquals("trrtpx:" + DELEGATION + ".Zk3Jm0-abc_def", id);
        assertEquals(Optional.of(DELEGATION), DelegationTokenId.delegationIdOf(id));
    }

    @Test
    void refusesTokenIdsOfOtherGrants() {
        assertThrows(IllegalArgumentException.class, () -> DelegationTokenId.withDelegation("trrtcc:abc", DELEGATION));
        assertThrows(
                IllegalArgumentException.class,
                () -> DelegationTokenId.withDelegation("legacy-uuid-token-id", DELEGATION));
    }

    @Test
    void findsNoDelegationInOtherTokens() {
        assertEquals(Optional.empty(), DelegationTokenId.delegationIdOf(null));
        assertEquals(
                Optional.empty(),
                DelegationTokenId.delegationIdOf("onrtcc:" + DELEGATION + ".x"),
                "client-credentials token");
        assertEquals(Optional.empty(), DelegationTokenId.delegationIdOf("trrtpx:not-a-uuid.x"));
        assertEquals(Optional.empty(), DelegationTokenId.delegationIdOf("trrtpx:" + DELEGATION), "no random part");
        assertEquals(Optional.empty(), DelegationTokenId.delegationIdOf("trrtpx:" + DELEGATION.toUpperCase() + ".x"));
        assertEquals(Optional.empty(), DelegationTokenId.delegationIdOf("xtrrtpx:" + DELEGATION + ".x"));
    }
}
