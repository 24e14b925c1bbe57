package dev.proxyme.proxy;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientHeadersTest {

    @Test
    void aliasesOfTheProxysHeadersAndUnknownProxymeNamesAreRefused() {
        for (String name : List.of(
                "X.Proxyme.User",
                "X_Proxyme_User",
                "x-proxyme_username",
                "X_Forwarded_Host",
                "X.Forwarded.Uri",
                "X-Proxyme-Tenant",
                "X_Real_IP",
                "Forwarded_For")) {
            assertTrue(ClientHeaders.refusalOf(List.of(name)).isPresent(), name);
        }
    }

    @Test
    void theProxysOwnNamesAndOrdinaryHeadersPass() {
        assertFalse(ClientHeaders.refusalOf(List.of(
                        "X-Proxyme-User",
                        "x-proxyme-portal-secret",
                        "X-Forwarded-Method",
                        "X-Forwarded-Host",
                        "Authorization",
                        "Accept",
                        "X_Custom_App_Header",
                        "DPoP"))
                .isPresent());
    }
}
