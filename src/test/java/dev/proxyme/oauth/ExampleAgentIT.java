package dev.proxyme.oauth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

import dev.proxyme.testsupport.Browser;
import dev.proxyme.testsupport.ClientProgram;
import dev.proxyme.testsupport.KeycloakServerExtension;
import dev.proxyme.testsupport.ProxymeClient;

import static dev.proxyme.testsupport.ProxymeClient.DEMO_REALM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example agent, as it is shipped, against the demo realm: the device grant on the standard library. */
@ExtendWith(KeycloakServerExtension.class)
class ExampleAgentIT {

    private final ProxymeClient client;

    ExampleAgentIT(ProxymeClient client) {
        this.client = client;
    }

    @Test
    void theExampleAgentGetsADelegationTokenForTheDemoPortal() {
        try (ClientProgram agent = ClientProgram.example("device_agent.py", "--issuer", client.issuer(DEMO_REALM));
                Browser browser = new Browser()) {
            String url = agent.awaitLine(line -> line.startsWith("    http")).strip();
            browser.open(url);
            browser.logInIfAsked("alice", "alice");
            assertTrue(browser.text("proxyme-purpose").contains("invoices"), "the example states its purpose");
            browser.await(By.id("proxyme-approve")).click();
            agent.awaitLine(line -> line.startsWith("Access token for"));
            String claims = agent.awaitLine(line -> line.contains("\"aud\""));
            assertTrue(claims.contains("\"demo-portal\""), claims);
            assertEquals(0, agent.exitCode());
        }
    }
}
