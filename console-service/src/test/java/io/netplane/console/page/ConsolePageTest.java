package io.netplane.console.page;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netplane.console.timing.ConnectTimeline;
import io.netplane.localcluster.Directories;
import io.netplane.localcluster.KafkaSecurity;
import io.netplane.localcluster.LocalCluster;
import io.netplane.localcluster.up.Deployment;
import io.netplane.localcluster.up.SimulatedHosts;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The console in Debian's headless Chromium, driven by Selenium, against netplane up's services
 * (this machine's built jars, a real broker with SCRAM and ACLs, a real database) and one
 * simulated host with its agent. The host is {@code ch1} in namespace {@code cons-ch1}: its own
 * host id as well as its own namespaces, so its sandboxes ({@code ch1-*}) are never another bed's.
 * Runs after packaging (the parent pom's service-processes execution of surefire).
 */
@Tag("service-processes")
class ConsolePageTest {

    private static final Duration SHOWN = Duration.ofSeconds(60);
    private static final String HOST = "ch1";
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    private static Path clusterDir;
    private static LocalCluster cluster;
    private static SimulatedHosts hosts;
    private static Deployment deployment;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws IOException {
        assertThat(Path.of("/usr/bin/chromium")).as("Debian's chromium (apt-get install chromium chromium-driver;"
                + " .ci/run does it)").isExecutable();
        assertThat(Path.of("/usr/bin/chromedriver")).as("Debian's chromium-driver").isExecutable();
        clusterDir = Files.createTempDirectory("netplane-console-cluster-");
        cluster = LocalCluster.start(clusterDir, KafkaSecurity.SCRAM_ACLS);
        hosts = SimulatedHosts.create("cons", "ch", 1);
        deployment = Deployment.start(Path.of("").toAbsolutePath().getParent(), cluster, hosts,
                Deployment.PortPlan.free(), Path.of("target/console-page/logs"), (name, pid) -> { });
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1200");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (deployment != null) {
            deployment.close();
        }
        if (hosts != null) {
            hosts.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (clusterDir != null) {
            Directories.deleteRecursively(clusterDir);
        }
    }

    @BeforeEach
    void openThePage() {
        browser.get(deployment.consoleUrl() + "/");
        await().atMost(SHOWN).untilAsserted(() -> assertThat(text("#connection")).isEqualTo("live"));
        // gone if the page were loaded again: what appears later must have come without a reload
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = true;");
    }

    @Test
    void aNetworkAndAContainerMadeThroughTheApiAppearWithoutAReloadAndARemovedContainerDisappears()
            throws IOException {
        createNetwork("cons-front");
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#networks")).anyMatch(r -> r.startsWith("cons-front bridge local 172.")));

        createContainer("cons-web", "cons-front");
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#endpoints"))
                .anyMatch(r -> r.startsWith("cons-web " + HOST + " cons-front 172.") && r.contains(" applied ")));
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#networks"))
                .anyMatch(r -> r.startsWith("cons-front ") && r.contains(" " + HOST + " ")));
        assertThat(rows("#hosts")).anyMatch(r -> r.startsWith(HOST + " up 192.0.2.11"));
        screenshot("console.png");

        api().delete("/v1/containers/cons-web").then().statusCode(204);
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#endpoints")).noneMatch(r -> r.startsWith("cons-web ")));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce === true;"))
                .as("the page was never reloaded").isEqualTo(true);
        api().delete("/v1/networks/cons-front").then().statusCode(204);
    }

    @Test
    void choosingAPastMomentShowsTheNetworkAsItWasThen() {
        createNetwork("cons-past");
        createContainer("cons-old", "cons-past");
        api().delete("/v1/containers/cons-old").then().statusCode(204);
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#changes"))
                .anyMatch(r -> r.contains("container cons-old removed from " + HOST)));
        assertThat(rows("#endpoints")).noneMatch(r -> r.startsWith("cons-old "));

        String createdAt = cells("#changes").stream().filter(r -> r.get(1).startsWith("cons-old on cons-past: 172."))
                .findFirst().orElseThrow().get(0);
        click("#changes", "cons-old on cons-past: 172.", "As it was after this");

        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#endpoints")).anyMatch(r -> r.startsWith("cons-old " + HOST + " cons-past")));
        assertThat(text("#mode")).startsWith("As it was at " + createdAt);
        assertThat(browser.findElement(By.id("moment")).getAttribute("value")).isEqualTo(createdAt);

        typeMoment("yesterday");
        await().atMost(SHOWN).untilAsserted(() -> assertThat(text("#travel-error")).startsWith("invalid moment \"yesterday\""));

        String networkMadeAt = cells("#changes").stream().filter(r -> r.get(1).startsWith("network cons-past ("))
                .findFirst().orElseThrow().get(0);
        String justBefore = Instant.parse(networkMadeAt).minusMillis(1).toString();
        typeMoment(justBefore);
        await().atMost(SHOWN).untilAsserted(() -> assertThat(text("#mode")).startsWith("As it was at " + justBefore));
        assertThat(text("#travel-error")).isEmpty();
        assertThat(rows("#networks")).noneMatch(r -> r.startsWith("cons-past "));
        assertThat(rows("#endpoints")).noneMatch(r -> r.startsWith("cons-old "));

        browser.findElement(By.id("back-live")).sendKeys(Keys.ENTER);
        await().atMost(SHOWN).untilAsserted(() -> assertThat(text("#mode")).startsWith("Live"));
        assertThat(rows("#endpoints")).noneMatch(r -> r.startsWith("cons-old "));
        assertThat(rows("#networks")).anyMatch(r -> r.startsWith("cons-past "));
        api().delete("/v1/networks/cons-past").then().statusCode(204);
    }

    @Test
    void aConnectsTimelineListsTheStepsWithTheirDurations() throws IOException {
        createNetwork("cons-a");
        createNetwork("cons-b");
        createContainer("cons-app", "cons-a");
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        api().header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").body(Map.of("network", "cons-b"))
                .post("/v1/containers/cons-app/networks").then().statusCode(201);
        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#endpoints"))
                .anyMatch(r -> r.startsWith("cons-app " + HOST + " cons-b ") && r.contains(" applied ")));

        click("#endpoints", "cons-app " + HOST + " cons-b ", "Timing of cons-app on cons-b");

        await().atMost(SHOWN).untilAsserted(() -> assertThat(rows("#connect-steps")).hasSize(5));
        List<String> steps = cells("#connect-steps").stream().map(r -> r.get(0)).toList();
        assertThat(steps).containsExactly(ConnectTimeline.COMMITTED, ConnectTimeline.PUBLISHED,
                ConnectTimeline.RECEIVED, ConnectTimeline.APPLIED + HOST, ConnectTimeline.REPORTED);
        List<String> durations = cells("#connect-steps").stream().map(r -> r.get(3)).toList();
        assertThat(durations.subList(1, 5)).allMatch(d -> d.matches("\\+\\d+ ms"), "a duration in ms");
        assertThat(text("#connect-subject")).startsWith("Container cons-app on network cons-b, host " + HOST)
                .endsWith(", trace " + trace);
        assertThat(cells("#connect-steps").stream().map(r -> r.get(4)))
                .as("the caller's trace, from the REST call through the outbox to the agent's report")
                .containsOnly("same");
        screenshot("connect-timeline.png");

        api().delete("/v1/containers/cons-app").then().statusCode(204);
        api().delete("/v1/networks/cons-a").then().statusCode(204);
        api().delete("/v1/networks/cons-b").then().statusCode(204);
    }

    private static RequestSpecification api() {
        return given().baseUri(deployment.apiUrl()).contentType(ContentType.JSON);
    }

    private static void createNetwork(String name) {
        api().body(Map.of("name", name, "driver", "bridge")).post("/v1/networks").then().statusCode(201);
    }

    private static void createContainer(String name, String network) {
        api().body(Map.of("name", name, "hostId", HOST, "networks", List.of(Map.of("network", network))))
                .post("/v1/containers").then().statusCode(201);
    }

    /** As a keyboard user does it: the moment typed, and Enter. */
    private void typeMoment(String moment) {
        WebElement input = browser.findElement(By.id("moment"));
        input.clear();
        input.sendKeys(moment, Keys.ENTER);
    }

    private static String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    /** Each body row of a table as the user reads it: its cells' text joined by spaces. */
    private static List<String> rows(String table) {
        return cells(table).stream().map(cells -> String.join(" ", cells)).toList();
    }

    /**
     * The text of each cell of each body row, read in one script: the page redraws a table when
     * what it shows changes (every heartbeat changes the hosts'), so cells found one call at a time
     * could belong to a table already replaced.
     */
    @SuppressWarnings("unchecked")
    private static List<List<String>> cells(String table) {
        return (List<List<String>>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
                        + ".map(tr => Array.from(tr.cells).map(td => td.innerText.trim()));", table);
    }

    /** Clicks a button in the row that contains {@code containing}, again if the table was redrawn meanwhile. */
    private static void click(String table, String containing, String button) {
        await().atMost(SHOWN).ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
            List<String> shown = rows(table);
            int index = shown.stream().filter(r -> r.contains(containing)).findFirst().map(shown::indexOf)
                    .orElseThrow(() -> new AssertionError("no row with \"" + containing + "\" in " + table));
            browser.findElements(By.cssSelector(table + " tbody tr")).get(index)
                    .findElement(By.xpath(".//button[text()='" + button + "']")).click();
        });
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }
}
