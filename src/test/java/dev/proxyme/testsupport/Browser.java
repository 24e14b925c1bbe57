package dev.proxyme.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A real headless Chromium (Debian's, with its chromedriver), with a fresh profile: no cookies of other tests. */
public final class Browser implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("proxyme.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("proxyme.chromedriver", "/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    public Browser() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("Page tests need Chromium and its driver at " + CHROMIUM + " and "
                    + CHROMEDRIVER + ": apt-get install chromium chromium-driver (.ci/run does)");
        }
        try {
            profile = Files.createTempDirectory("proxyme-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--window-size=1100,1300",
                "--lang=en-US",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    public WebDriver driver() {
        return driver;
    }

    /** The browser as one in {@code zone} (an IANA name): what scripts' clocks and {@code Intl} read. */
    public void inTimeZone(String zone) {
        driver.executeCdpCommand("Emulation.setTimezoneOverride", java.util.Map.of("timezoneId", zone));
    }

    public void open(String url) {
        driver.get(url);
    }

    /**
     * Fills Keycloak's login form if it is showing. Waits until either the login form or a Proxyme page has rendered:
     * deciding earlier, while the redirect to the login is still loading, would skip a login that was needed.
     */
    public void logInIfAsked(String username, String password) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(d -> !d.findElements(By.id("username")).isEmpty()
                        || !d.findElements(By.id("proxyme-page")).isEmpty());
        if (!driver.findElements(By.id("username")).isEmpty()) {
            driver.findElement(By.id("username")).sendKeys(username);
            driver.findElement(By.id("password")).sendKeys(password);
            driver.findElement(By.id("kc-login")).click();
        }
    }

    /** Waits for an element; on a timeout, keeps a screenshot and the page source under target/ and says where it was. */
    public WebElement await(By locator) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(20))
                    .until(ExpectedConditions.presenceOfElementLocated(locator));
        } catch (org.openqa.selenium.TimeoutException notThere) {
            Path dump = Path.of(System.getProperty("proxyme.repo", "."))
                    .resolve("target/screenshots/failure-" + System.nanoTime());
            screenshot(Path.of(dump + ".png"));
            try {
                Files.writeString(Path.of(dump + ".html"), driver.getPageSource());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new AssertionError(
                    "No " + locator + " on " + driver.getCurrentUrl() + " (title '" + driver.getTitle() + "'); see "
                            + dump + ".png and .html",
                    notThere);
        }
    }

    /**
     * Sets up an authenticator on Keycloak's OTP set-up page, as an authenticator app would: the code of the current
     * 30-second step of the page's secret (HmacSHA1, 6 digits: the realm's default OTP policy).
     */
    public void setUpTotp() {
        String secret = await(By.id("totpSecret")).getDomAttribute("value");
        driver.findElement(By.id("totp"))
                .sendKeys(Totp.code(
                        secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        System.currentTimeMillis() / 1000 / 30));
        driver.findElement(By.id("userLabel")).sendKeys("test authenticator");
        driver.findElement(By.id("saveTOTPBtn")).click();
    }

    public boolean has(By locator) {
        return !driver.findElements(locator).isEmpty();
    }

    public String text(String id) {
        return await(By.id(id)).getText();
    }

    /** The browser's cookies as a Cookie header, to replay requests outside the browser. */
    public String cookieHeader() {
        return driver.manage().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
    }

    /** The whole page, beyond the window's height, at the window's width. */
    public void screenshot(Path target) {
        Object size = driver.executeScript("return [document.documentElement.scrollWidth,"
                + " Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)];");
        java.util.List<?> widthAndHeight = (java.util.List<?>) size;
        Map<String, Object> clip = Map.of(
                "x", 0,
                "y", 0,
                "width", ((Number) widthAndHeight.get(0)).intValue(),
                "height", Math.min(((Number) widthAndHeight.get(1)).intValue(), 6000),
                "scale", 1);
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
        try {
            Files.createDirectories(target.getParent());
            Files.write(target, java.util.Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp profile left behind is harmless
        }
    }
}
