package dev.proxyme.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Runs axe-core (Deque's accessibility engine, from npm, pinned in the test clients' lock file) in the page Chromium
 * shows, against WCAG 2.1 A and AA, and reports what it finds serious or critical.
 */
public final class Accessibility {

    private static final Path AXE = Path.of(System.getProperty("proxyme.repo", "."))
            .resolve("src/test/clients/node_modules/axe-core/axe.min.js");

    private static final String RUN = """
            const done = arguments[arguments.length - 1];
            const include = arguments[0] ? document.querySelector(arguments[0]) : document;
            const context = arguments[1].length ? {include: [include || document], exclude: arguments[1]} : include;
            axe.run(context || document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                resultTypes: ['violations']
            }).then(results => done(JSON.stringify(results.violations
                    .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
                    .map(violation => ({id: violation.id, impact: violation.impact, help: violation.help,
                            nodes: violation.nodes.map(node => node.target.join(' '))})))))
              .catch(failure => done(JSON.stringify([{id: 'axe-failed', impact: 'critical', help: String(failure),
                      nodes: []}])));
            """;

    private Accessibility() {}

    /** What axe-core finds serious or critical in the element the selector names (the whole page: null). */
    public static List<String> seriousViolations(Browser browser, String selector) {
        return seriousViolations(browser, selector, List.of());
    }

    /**
     * The same, leaving out the elements the selectors name: on Keycloak's own consoles, the components Keycloak
     * renders the way it does whatever an extension says.
     */
    public static List<String> seriousViolations(Browser browser, String selector, List<String> leftOut) {
        JavascriptExecutor page = (JavascriptExecutor) browser.driver();
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        try {
            page.executeScript(Files.readString(AXE));
        } catch (IOException e) {
            throw new UncheckedIOException("axe-core is installed by npm ci in src/test/clients: " + AXE, e);
        }
        String found = (String) page.executeAsyncScript(RUN, selector, leftOut);
        List<String> violations = new ArrayList<>();
        try {
            for (JsonNode violation : ProxymeClient.JSON.readTree(found)) {
                violations.add(violation.path("impact").asText() + " "
                        + violation.path("id").asText() + " ("
                        + violation.path("help").asText() + "): " + violation.path("nodes"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return violations;
    }
}
