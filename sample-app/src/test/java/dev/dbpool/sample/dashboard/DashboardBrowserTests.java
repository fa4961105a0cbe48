package dev.dbpool.sample.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import dev.dbpool.sample.HttpJson;
import dev.dbpool.sample.ops.OpsFiles;
import dev.dbpool.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /dashboard} in Debian's headless Chromium: it goes live, its numbers follow a
 * load, and it shows the unreachable state while the browser is offline and recovers.
 * With {@code -Ddashboard.screenshot=true} (or {@code DASHBOARD_SCREENSHOT=true}) the
 * page under load is saved to {@code docs/dashboard.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@EnabledIf(value = "browserInstalled",
		disabledReason = "/usr/bin/chromium and /usr/bin/chromedriver are not installed (Debian packages 'chromium', 'chromium-driver')")
class DashboardBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final TestDatabase database = TestDatabase.shared().newDatabase("sample_dashboard");

	private static final int POOL_SIZE = 10;

	private static final int HELD_CONNECTIONS = 7;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("db.pool.url", database::jdbcUrl);
		registry.add("db.pool.username", database::username);
		registry.add("db.pool.password", database::password);
		registry.add("db.pool.connection-limit", () -> POOL_SIZE);
		registry.add("db.pool.slow-query.threshold", () -> "50ms");
	}

	static boolean browserInstalled() {
		return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
	}

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbcTemplate;

	@Autowired
	TransactionTemplate transactionTemplate;

	ChromeDriver browser;

	ExecutorService load;

	@BeforeEach
	void openBrowser(@TempDir Path profile) {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
		this.browser.manage().window().setSize(new Dimension(1440, 1000));
		this.load = Executors.newFixedThreadPool(4);
	}

	@AfterEach
	void closeBrowser() throws InterruptedException {
		this.load.shutdownNow();
		this.load.awaitTermination(10, TimeUnit.SECONDS);
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void numbersFollowTheLoadAndTheUnreachableStateRecovers() throws Exception {
		this.browser.get("http://localhost:" + this.port + "/dashboard?interval=500");
		awaitState("live");
		assertThat(text("health-status")).isEqualTo("UP");
		assertThat(text("pool-limit")).isEqualTo(Integer.toString(POOL_SIZE));
		long executedBefore = Long.parseLong(text("queries-executed"));

		AtomicBoolean running = new AtomicBoolean(true);
		List<Connection> held = new ArrayList<>();
		List<Future<?>> workers = new ArrayList<>();
		try {
			workers.add(this.load.submit(() -> {
				HttpJson http = new HttpJson(this.port);
				while (running.get()) {
					http.get("/api/orders");
				}
			}));
			workers.add(this.load.submit(() -> {
				while (running.get()) {
					this.jdbcTemplate.execute("SELECT pg_sleep(0.06)");
				}
			}));
			// Ramp up the held connections, one per refresh of the page.
			for (int i = 1; i <= HELD_CONNECTIONS; i++) {
				held.add(this.dataSource.getConnection());
				int expected = i;
				wait(Duration.ofSeconds(10), () -> Integer.parseInt(text("pool-active")) >= expected);
			}
			wait(Duration.ofSeconds(20),
					() -> Long.parseLong(text("queries-executed")) > executedBefore + 50
							&& !"–".equals(text("query-rate")) && Double.parseDouble(text("query-rate")) > 0
							&& Double.parseDouble(text("pool-utilization")) >= 70
							&& !this.browser.findElements(By.cssSelector("#slow-queries tbody td.num")).isEmpty());
			assertThat(this.browser.findElement(By.cssSelector("#slow-queries tbody")).getText())
				.contains("SELECT pg_sleep(?)")
				// The dashboard shows SQL as the endpoint serves it: literals masked.
				.doesNotContain("0.06");
			saveScreenshotIfAsked();
		}
		finally {
			running.set(false);
			for (Connection connection : held) {
				connection.close();
			}
			for (Future<?> worker : workers) {
				worker.get(10, TimeUnit.SECONDS);
			}
		}
		wait(Duration.ofSeconds(10), () -> Integer.parseInt(text("pool-active")) <= 1);

		// Offline: every poll fails. The page says so, keeps the last numbers, and
		// recovers by itself when the endpoint answers again.
		this.browser.executeCdpCommand("Network.enable", Map.of());
		this.browser.executeCdpCommand("Network.emulateNetworkConditions",
				Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
		awaitState("unreachable");
		assertThat(text("status")).startsWith("endpoint unreachable, retrying in");
		assertThat(text("pool-limit")).isEqualTo(Integer.toString(POOL_SIZE));
		this.browser.executeCdpCommand("Network.emulateNetworkConditions",
				Map.of("offline", false, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
		awaitState("live");
	}

	@Test
	void plansRepeatedStatementsAndTransactionsAreShown() {
		database.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
		// Actuator's document: the server view is not in the public one.
		this.browser.get("http://localhost:" + this.port + "/dashboard?interval=500&endpoint=/actuator/database");
		awaitState("live");
		this.transactionTemplate.executeWithoutResult((status) -> {
			for (int id = 1; id <= 30; id++) {
				this.jdbcTemplate.queryForList("SELECT id FROM orders WHERE id = ?", Long.class, id);
			}
			// Long enough to lead the longest recent transactions, whatever ran before.
			this.jdbcTemplate.execute("SELECT pg_sleep(0.5)");
		});
		this.jdbcTemplate.execute("SELECT pg_sleep(0.06)");
		wait(Duration.ofSeconds(20),
				() -> text("repeated-statements").contains("SELECT id FROM orders WHERE id = ?")
						&& planText().contains("Result")
						&& text("longest-transactions").contains("30 x SELECT id FROM orders"));
		assertThat(text("repeated-statements")).contains("30");
		assertThat(planText()).contains("cost=");
		HttpJson http = new HttpJson(this.port);
		// The server's top statement by total time is the sleeping one.
		wait(Duration.ofSeconds(20), () -> text("server-statements").contains("SELECT pg_sleep(?)"),
				() -> "server section " + http.get("/actuator/database").body().get("server"));
	}

	private String planText() {
		// In one script: the page re-renders the table on every poll.
		Object plans = this.browser.executeScript("return Array.from(document.querySelectorAll("
				+ "'#slow-queries details.plan pre')).map(function (e) { return e.textContent; }).join('\\n');");
		return String.valueOf(plans);
	}

	private void awaitState(String state) {
		wait(Duration.ofSeconds(20),
				() -> state.equals(this.browser.findElement(By.id("status")).getAttribute("data-state")));
	}

	private void wait(Duration timeout, java.util.function.BooleanSupplier condition) {
		wait(timeout, condition, () -> "");
	}

	private void wait(Duration timeout, java.util.function.BooleanSupplier condition,
			java.util.function.Supplier<String> detail) {
		new WebDriverWait(this.browser, timeout, Duration.ofMillis(200)).ignoring(NumberFormatException.class)
			.withMessage(() -> "dashboard now shows: " + this.browser.findElement(By.tagName("body")).getText()
					+ detail.get())
			.until((driver) -> condition.getAsBoolean());
	}

	private String text(String id) {
		return this.browser.findElement(By.id(id)).getText();
	}

	private void saveScreenshotIfAsked() throws IOException {
		boolean asked = Boolean.getBoolean("dashboard.screenshot")
				|| "true".equalsIgnoreCase(System.getenv("DASHBOARD_SCREENSHOT"));
		if (asked) {
			Path screenshot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
			Path target = OpsFiles.root().resolve("docs/dashboard.png");
			Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

}
