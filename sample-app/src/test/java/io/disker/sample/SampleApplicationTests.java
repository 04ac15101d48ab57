package io.disker.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.annotation.TimerListener;
import io.disker.boot.test.DiskerTest;
import io.disker.boot.test.DiskerTestHarness;
import io.disker.core.DiskerOperations;
import io.disker.core.RemoteInvocationException;
import io.disker.timer.DTimer;
import io.disker.timer.TimerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts the sample on a random HTTP port against a throwaway redis-server
 * ({@link DiskerTest @DiskerTest}), with the periodic dispatcher off (the startup
 * reminders on, with a shorter confirm timeout), sends orders and quote requests through
 * it, watches its timer events fire and reads its actuator endpoints over HTTP.
 */
@DiskerTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.dispatcher.enabled=false", "disker.timer.confirm-timeout=1s" })
class SampleApplicationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/**
	 * 'invoice' is due 6 s after startup, fails and fires again after the confirm timeout
	 * (1 s here).
	 */
	private static final Duration REMINDERS_WAIT = Duration.ofSeconds(20);

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private DiskerOperations disker;

	@Autowired
	private DTimer timer;

	@Autowired
	private FiredReminders fired;

	@Autowired
	private DiskerTestHarness harness;

	@Test
	void workerHandlesAnOrder(CapturedOutput output) {
		CompletableFuture<String> sent = this.disker.send("orders", new Order(1, "keyboard", 2));
		assertThat(sent).succeedsWithin(WAIT);
		assertThat(this.harness.awaitHandled("orders", sent.join()).payload(Order.class))
			.isEqualTo(new Order(1, "keyboard", 2));
		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("handled order #1 in"));
	}

	@Test
	void anOrderTheWarehouseCannotTakeIsRetried() {
		String id = this.disker.send("orders", new Order(10, "desk", 1)).join();
		assertThat(this.harness.awaitFailed("orders", id).failure()).hasMessage("warehouse busy for order #10");
		// the retry is due after the back-off; the test need not wait for it
		this.harness.retryNow("orders", id);
		assertThat(this.harness.awaitHandled("orders", id).message().attempt()).isEqualTo(2);
		assertThat(this.harness.deadLetters("orders")).isEmpty();
	}

	@Test
	void quoteServiceAnswersARequest() {
		CompletableFuture<Quote> quote = this.disker.request("quotes", new QuoteRequest("ACME"), Quote.class, WAIT);
		assertThat(quote).succeedsWithin(WAIT).isEqualTo(new Quote("ACME", 42.0));
	}

	@Test
	void requesterGetsRemoteInvocationExceptionForAnUnknownSymbol() {
		CompletableFuture<Quote> quote = this.disker.request("quotes", new QuoteRequest("BOGUS"), Quote.class, WAIT);
		assertThat(quote).failsWithin(WAIT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.getRemoteMessage()).isEqualTo("unknown symbol 'BOGUS'"));
	}

	@Test
	void startupRemindersFireOnTimeAndTheCancelledOneNever() {
		await().atMost(REMINDERS_WAIT)
			.until(() -> this.fired.ids().containsAll(List.of("tea", "stand-up", "invoice/1")));
		// 'dentist' was due before 'invoice': cancelled, it never fired
		assertThat(this.fired.ids()).containsExactly("tea", "stand-up", "invoice/0", "invoice/1");
		assertThat(this.fired.events)
			.allSatisfy((event) -> assertThat(event.firedAt()).isAfterOrEqualTo(event.dueAt()));
		// the sample's listener failed on the first delivery of 'invoice' and confirmed
		// the retry
		await().atMost(WAIT).until(() -> this.timer.peek("invoice", Reminder.class).isEmpty());
		assertThat(this.timer.peek("dentist", Reminder.class)).isEmpty();
	}

	@Test
	void healthIsUpWithDiskerDetails() throws Exception {
		JsonNode health = getJson("/actuator/health");
		assertThat(health.path("status").asString()).isEqualTo("UP");
		JsonNode disker = health.path("components").path("disker");
		assertThat(disker.path("status").asString()).isEqualTo("UP");
		assertThat(disker.path("details").path("redis").path("reachable").asBoolean()).isTrue();
		assertThat(disker.path("details").path("loops").valueStream().map((loop) -> loop.path("name").asString()))
			.contains("worker", "quotes", "reply-inbox", "lease-sweeper");
	}

	@Test
	void prometheusExposesDiskerMetrics(CapturedOutput output) throws Exception {
		assertThat(this.disker.send("orders", new Order(2, "mouse", 1))).succeedsWithin(WAIT);
		await().atMost(WAIT).untilAsserted(() -> assertThat(output.getOut()).contains("handled order #2 in"));
		// the handler logs before its listener run is timed and before its
		// acknowledgement is counted
		await().atMost(WAIT).untilAsserted(() -> {
			String current = get("/actuator/prometheus").body();
			assertThat(series(current, "disker_listener_seconds_count", "disker_queue=\"orders\"")).isNotEmpty();
			assertThat(counter(current, "disker_messages_acknowledged_total{queue=\"orders\"}"))
				.isGreaterThanOrEqualTo(1);
		});
		String scrape = get("/actuator/prometheus").body();
		// sends and listener runs are timed by the observations, and counted once
		assertThat(series(scrape, "disker_send_seconds_count", "disker_queue=\"orders\"", "disker_operation=\"send\""))
			.isNotEmpty();
		assertThat(series(scrape, "disker_listener_seconds_count", "disker_queue=\"orders\"")).isNotEmpty();
		assertThat(scrape).doesNotContain("disker_messages_sent_total", "disker_messages_received_total",
				"disker_listener_duration_seconds", "disker_requests_seconds");
		assertThat(counter(scrape, "disker_messages_acknowledged_total{queue=\"orders\"}")).isGreaterThanOrEqualTo(1);
		assertThat(scrape).contains("disker_queue_depth{");
		// the timer's queue has one name in every meter
		assertThat(scrape).contains("queue=\"t:dt\"").doesNotContain("queue=\"dt\"");
	}

	@Test
	void theReadmeQuickStartBilledItsInvoice() {
		// sent by the quick start's ApplicationRunner when the context started
		await().atMost(WAIT)
			.until(() -> counter(get("/actuator/prometheus").body(),
					"disker_messages_acknowledged_total{queue=\"invoices\"}") >= 1);
	}

	@Test
	void timerFiringIsCountedInMetrics() throws Exception {
		this.timer.post(new Reminder("metrics"), Duration.ZERO);
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode fired = getJson("/actuator/metrics/disker.timer.events.fired?tag=namespace:dt");
			assertThat(fired.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
		});
	}

	@Test
	void diskerEndpointListsTheSampleQueuesAndContainers() throws Exception {
		JsonNode disker = getJson("/actuator/disker");
		assertThat(disker.path("queues").propertyNames()).contains("orders", "quotes").doesNotContain("q:orders");
		assertThat(disker.path("containers").valueStream().map((container) -> container.path("id").asString()))
			.contains("worker", "quotes", "disker.timer.dt");
		assertThat(disker.path("timers").get(0).path("namespace").asString()).isEqualTo("dt");
		assertThat(get("/actuator/disker/no-such-queue").statusCode()).isEqualTo(404);
		JsonNode orders = getJson("/actuator/disker/orders");
		assertThat(orders.path("queue").asString()).isEqualTo("orders");
		assertThat(orders.path("depth").has("ready")).isTrue();
	}

	private JsonNode getJson(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(() -> path + " answered " + response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(WAIT)
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static List<String> series(String scrape, String name, String... labels) {
		return scrape.lines()
			.filter((line) -> line.startsWith(name + "{"))
			.filter((line) -> Arrays.stream(labels).allMatch(line::contains))
			.toList();
	}

	private static double counter(String scrape, String series) {
		Matcher matcher = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(scrape);
		assertThat(matcher.find()).as(series + " in\n" + scrape).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	/**
	 * A second listener method of the timer namespace: on the node that fires an event,
	 * every {@code @TimerListener} method of its namespace receives it.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class FiredRemindersConfiguration {

		@Bean
		FiredReminders firedReminders() {
			return new FiredReminders();
		}

	}

	static class FiredReminders {

		final List<Fired> events = new CopyOnWriteArrayList<>();

		@TimerListener
		void record(TimerEvent<Reminder> event) {
			if (event.maxRetries() > 0) {
				this.events.add(new Fired(event.id() + "/" + event.numRetries(), event.dueAt(), Instant.now()));
			}
			else if (!"metrics".equals(event.event().text())) {
				this.events.add(new Fired(event.id(), event.dueAt(), Instant.now()));
			}
		}

		List<String> ids() {
			return this.events.stream().map(Fired::id).toList();
		}

	}

	record Fired(String id, Instant dueAt, Instant firedAt) {

	}

}
