package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.core.OutgoingMessage;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code @DiskerListener} pipeline end to end: attribute placeholders, argument
 * resolution and payload conversion, replies, container lifecycle (auto-startup, pause,
 * resume), startup failures, and the detection of stale acknowledgements.
 */
@RedisTest
class DiskerListenerPipelineIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private RedisCli cli;

	DiskerListenerPipelineIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
		this.cli = this.redis.cli();
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.cli.close();
	}

	@Test
	void placeholdersInAttributesAreResolved() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(PlaceholderConfig.class, "app.queue=orders-p",
				"app.concurrency=3", "app.listener-id=orders-listener", "app.auto-startup=true");
		DiskerMessageListenerContainer container = registry(node).getListenerContainer("orders-listener");
		assertThat(container).isNotNull();
		assertThat(container.getQueue()).isEqualTo("orders-p");
		assertThat(container.getOptions().concurrency()).isEqualTo(3);
		assertThat(container.isAutoStartup()).isTrue();
		assertThat(container.isRunning()).isTrue();
		assertThat(registry(node).getListenerContainerIds()).containsExactly("orders-listener");

		assertThat(template(node).request("orders-p", "hello", String.class).get(5, TimeUnit.SECONDS))
			.isEqualTo("placeholder:hello");
	}

	@Test
	void payloadsAreConvertedToRecordsListsAndMessages() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(ConversionConfig.class);
		RequestTemplate template = template(node);

		assertThat(template.request("orders", new Order("a", 2), Receipt.class).get(5, TimeUnit.SECONDS))
			.isEqualTo(new Receipt("a", 4));
		assertThat(
				template.request("orders", Map.of("sku", "b", "quantity", 5), Receipt.class).get(5, TimeUnit.SECONDS))
			.isEqualTo(new Receipt("b", 10));
		assertThat(template.request("batches", List.of(new Order("a", 2), new Order("b", 3)), Integer.class)
			.get(5, TimeUnit.SECONDS)).isEqualTo(5);
		OutgoingMessage<Order> withHeader = DiskerMessage.to("envelopes")
			.payload(new Order("c", 1))
			.header("tenant", "acme")
			.build();
		assertThat(template.request(withHeader, String.class).get(5, TimeUnit.SECONDS)).isEqualTo("c@acme#1");

		Conversions conversions = node.getBean(Conversions.class);
		assertThat(conversions.orders).containsExactly(new Order("a", 2), new Order("b", 5));
		assertThat(conversions.batches).singleElement()
			.satisfies((batch) -> assertThat(batch).containsExactly(new Order("a", 2), new Order("b", 3)));
		assertThat(conversions.envelopes).singleElement().satisfies((message) -> {
			assertThat(message.payload()).isEqualTo(new Order("c", 1));
			assertThat(message.header("tenant")).isEqualTo("acme");
			assertThat(message.queue()).isEqualTo("envelopes");
		});
	}

	@Test
	void twoListenerMethodsOnOneBeanGetContainersOfTheirOwn() {
		ConfigurableApplicationContext node = this.nodes.start(ConversionConfig.class);
		DiskerListenerRegistry registry = registry(node);
		assertThat(registry.getListenerContainerIds()).containsExactlyInAnyOrder("conversions.order",
				"conversions.batch", "conversions.envelope");
		assertThat(registry.getListenerContainers()).extracting(DiskerMessageListenerContainer::getQueue)
			.containsExactlyInAnyOrder("orders", "batches", "envelopes");
		assertThat(registry.getListenerContainers()).allMatch(DiskerMessageListenerContainer::isRunning);
	}

	@Test
	void attemptHeaderCountsDeliveries() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(FlakyConfig.class);
		assertThat(template(node).request("flaky", "x", String.class).get(5, TimeUnit.SECONDS)).isEqualTo("x on 2");
		assertThat(node.getBean(Flaky.class).attempts).containsExactly(1, 2);
		assertThat(counting(node).count("retried", "flaky")).isEqualTo(1);
	}

	@Test
	void containerThatDoesNotStartAutomaticallyConsumesOnlyOnceStarted() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(LazyConfig.class);
		DiskerMessageListenerContainer container = registry(node).getListenerContainer("lazy");
		assertThat(container).isNotNull();
		assertThat(container.isAutoStartup()).isFalse();
		assertThat(container.isRunning()).isFalse();
		assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
		for (int i = 0; i < 3; i++) {
			template(node).send("lazy", "m-" + i).get(5, TimeUnit.SECONDS);
		}
		Recorder recorder = node.getBean(Recorder.class);
		waiting().during(Duration.ofMillis(500)).until(() -> recorder.payloads.isEmpty());
		assertThat(this.cli.llen("disker:q:{lazy}:ready")).isEqualTo(3);
		assertThat(this.cli.keys("disker:q:{lazy}:leases")).isEmpty();

		container.start();
		waiting().until(() -> recorder.payloads.size() == 3);
		assertThat(recorder.payloads).containsExactly("m-0", "m-1", "m-2");
		assertThat(container.isRunning()).isTrue();
	}

	@Test
	void pausedContainerHandsBackBufferedMessagesAndResumes() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(PausableConfig.class);
		DiskerMessageListenerContainer container = registry(node).getListenerContainer("pausable");
		Pausable pausable = node.getBean(Pausable.class);
		for (int i = 0; i < 5; i++) {
			template(node).send("pausable", "m-" + i).get(5, TimeUnit.SECONDS);
		}
		container.start();
		// m-0 is being handled (blocked) and m-1 buffered: until a handler finished, a
		// container holds twice its concurrency; m-2..m-4 wait in the queue
		waiting().until(() -> pausable.payloads.size() == 1 && this.cli.llen("disker:q:{pausable}:ready") == 3);
		assertThat(procLengths("pausable")).isEqualTo(2);

		container.pause();
		waiting().until(() -> this.cli.llen("disker:q:{pausable}:ready") == 4);
		assertThat(procLengths("pausable")).isEqualTo(1);
		assertThat(this.cli.lrange("disker:q:{pausable}:ready", 0, -1)).extracting(this::payloadOf)
			.containsExactly("m-4", "m-3", "m-2", "m-1");
		assertThat(container.isPaused()).isTrue();
		assertThat(container.getState()).isEqualTo(ContainerState.PAUSED);

		pausable.release.countDown();
		waiting().until(() -> procLengths("pausable") == 0);
		template(node).send("pausable", "m-5").get(5, TimeUnit.SECONDS);
		waiting().during(Duration.ofMillis(500)).until(() -> pausable.payloads.size() == 1);
		assertThat(this.cli.llen("disker:q:{pausable}:ready")).isEqualTo(5);

		container.resume();
		waiting().until(() -> pausable.payloads.size() == 6);
		assertThat(pausable.payloads).containsExactly("m-0", "m-1", "m-2", "m-3", "m-4", "m-5");
		assertThat(container.isPaused()).isFalse();
		assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
	}

	@Test
	void duplicateContainerIdFailsStartupNamingTheMethod() { // DSP-03
		assertThatThrownBy(() -> this.nodes.start(DuplicateIdConfig.class)).satisfies((ex) -> {
			BeanInitializationException cause = findCause(ex, BeanInitializationException.class);
			assertThat(cause).isNotNull();
			assertThat(cause.getMessage()).matches("@DiskerListener on " + Pattern.quote(DuplicateIds.class.getName())
					+ "\\.(first|second) uses the container id 'dup', which is already taken");
		});
	}

	@Test
	void listenerWithoutQueueFailsStartup() { // DSP-04
		assertThatThrownBy(() -> this.nodes.start(NoQueueConfig.class)).satisfies((ex) -> {
			BeanInitializationException cause = findCause(ex, BeanInitializationException.class);
			assertThat(cause).isNotNull();
			assertThat(cause.getMessage())
				.isEqualTo("@DiskerListener on " + NoQueue.class.getName() + ".listen must name a queue");
		});
		assertThatThrownBy(() -> this.nodes.start(EmptyQueueConfig.class)).satisfies((ex) -> {
			BeanInitializationException cause = findCause(ex, BeanInitializationException.class);
			assertThat(cause).isNotNull();
			assertThat(cause.getMessage())
				.isEqualTo("@DiskerListener on " + EmptyQueue.class.getName() + ".listen must name a queue");
		});
	}

	/**
	 * A handler outlives its consumer's lease (revoked by hand), the message is recovered
	 * and handled by another node; the first handler's late acknowledgement is detected
	 * as stale, counted, and not applied.
	 */
	@Test
	void staleAcknowledgementIsDetectedAndCounted() throws Exception {
		ConfigurableApplicationContext first = this.nodes.start(StaleConfig.class, "stale.block=true");
		String id = template(first).send("stale", "work").get(5, TimeUnit.SECONDS);
		Stale blocked = first.getBean(Stale.class);
		waiting().until(() -> blocked.ids.size() == 1);
		List<String> consumers = leaseHolders("stale");
		assertThat(consumers).hasSize(1);
		assertThat(this.cli.llen("disker:q:{stale}:proc:" + consumers.get(0))).isEqualTo(1);

		this.cli.command("ZADD", "disker:q:{stale}:leases", "-1", consumers.get(0));
		waiting().until(() -> this.cli.llen("disker:q:{stale}:ready") == 1);
		assertThat(this.cli.llen("disker:q:{stale}:proc:" + consumers.get(0))).isZero();

		ConfigurableApplicationContext second = this.nodes.start(StaleConfig.class, "stale.block=false");
		Stale other = second.getBean(Stale.class);
		waiting().until(() -> counting(second).count("acknowledged", "stale") == 1);
		assertThat(other.ids).containsExactly(id);

		blocked.release.countDown();
		waiting().until(() -> counting(first).count("staleAcknowledgements", "stale") == 1);
		assertThat(blocked.ids).containsExactly(id);
		assertThat(counting(first).count("acknowledged", "stale")).isZero();
		assertThat(counting(first).count("redelivered", "stale") + counting(second).count("redelivered", "stale"))
			.isEqualTo(1);
		assertThat(this.cli.keys("disker:q:{stale}:proc:*")).isEmpty();
		assertThat(this.cli.llen("disker:q:{stale}:ready")).isZero();
		assertThat(this.cli.keys("disker:q:{stale}:recoveries")).isEmpty();
	}

	@SuppressWarnings("unchecked")
	private List<String> leaseHolders(String queue) {
		return (List<String>) this.cli.command("ZRANGE", "disker:q:{" + queue + "}:leases", "0", "-1");
	}

	private long procLengths(String queue) {
		return this.cli.keys("disker:q:{" + queue + "}:proc:*").stream().mapToLong(this.cli::llen).sum();
	}

	private String payloadOf(String envelope) {
		Matcher matcher = Pattern.compile("\"payload\":\"([^\"]*)\"").matcher(envelope);
		assertThat(matcher.find()).as("payload in %s", envelope).isTrue();
		return matcher.group(1);
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
		}
		return null;
	}

	private static ConditionFactory waiting() {
		return await().atMost(WAIT).pollInterval(Duration.ofMillis(20));
	}

	private static RequestTemplate template(ConfigurableApplicationContext node) {
		return node.getBean(RequestTemplate.class);
	}

	private static DiskerListenerRegistry registry(ConfigurableApplicationContext node) {
		return node.getBean(DiskerListenerRegistry.class);
	}

	private static CountingMetrics counting(ConfigurableApplicationContext node) {
		return node.getBean(CountingMetrics.class);
	}

	record Order(String sku, int quantity) {
	}

	record Receipt(String sku, int total) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Metrics {

		@Bean
		CountingMetrics countingMetrics() {
			return new CountingMetrics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderConfig extends Metrics {

		@Bean
		PlaceholderListener placeholderListener() {
			return new PlaceholderListener();
		}

	}

	static class PlaceholderListener {

		@DiskerListener(queue = "${app.queue}", id = "${app.listener-id}", concurrency = "${app.concurrency}",
				autoStartup = "${app.auto-startup}")
		String listen(String text) {
			return "placeholder:" + text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConversionConfig extends Metrics {

		@Bean
		Conversions conversions() {
			return new Conversions();
		}

	}

	static class Conversions {

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<List<Order>> batches = new CopyOnWriteArrayList<>();

		final List<DiskerMessage<Order>> envelopes = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "orders")
		Receipt order(Order order) {
			this.orders.add(order);
			return new Receipt(order.sku(), order.quantity() * 2);
		}

		@DiskerListener(queue = "batches")
		int batch(List<Order> orders) {
			this.batches.add(orders);
			// fails with a ClassCastException unless the elements were converted to Order
			return orders.stream().mapToInt(Order::quantity).sum();
		}

		@DiskerListener(queue = "envelopes")
		String envelope(DiskerMessage<Order> message, @Header("tenant") String tenant,
				@Header(DiskerHeaders.ATTEMPT) int attempt) {
			this.envelopes.add(message);
			return message.payload().sku() + "@" + tenant + "#" + attempt;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyConfig extends Metrics {

		@Bean
		Flaky flaky() {
			return new Flaky();
		}

	}

	static class Flaky {

		final List<Integer> attempts = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "flaky", retryDelay = "100ms")
		String handle(String text, @Header(DiskerHeaders.ATTEMPT) int attempt) {
			this.attempts.add(attempt);
			if (attempt == 1) {
				throw new IllegalStateException("first attempt fails");
			}
			return text + " on " + attempt;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyConfig extends Metrics {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Recorder {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@DiskerListener(id = "lazy", queue = "lazy", autoStartup = "${lazy.auto-startup:false}")
		void listen(String payload) {
			this.payloads.add(payload);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PausableConfig extends Metrics {

		@Bean
		Pausable pausable() {
			return new Pausable();
		}

	}

	static class Pausable {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@DiskerListener(id = "pausable", queue = "pausable", autoStartup = "false", concurrency = "1")
		void listen(String payload) throws InterruptedException {
			this.payloads.add(payload);
			if (this.payloads.size() == 1) {
				this.release.await(10, TimeUnit.SECONDS);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DuplicateIdConfig {

		@Bean
		DuplicateIds duplicateIds() {
			return new DuplicateIds();
		}

	}

	static class DuplicateIds {

		@DiskerListener(id = "dup", queue = "one")
		void first(String payload) {
		}

		@DiskerListener(id = "dup", queue = "two")
		void second(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoQueueConfig {

		@Bean
		NoQueue noQueue() {
			return new NoQueue();
		}

	}

	static class NoQueue {

		@DiskerListener(id = "no-queue")
		void listen(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyQueueConfig {

		@Bean
		EmptyQueue emptyQueue() {
			return new EmptyQueue();
		}

	}

	static class EmptyQueue {

		@DiskerListener(queue = "${no.such.queue:}")
		void listen(String payload) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StaleConfig extends Metrics {

		@Bean
		Stale stale() {
			return new Stale();
		}

	}

	static class Stale {

		final List<String> ids = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@Value("${stale.block}")
		private boolean block;

		@DiskerListener(queue = "stale", prefetch = "1")
		void listen(DiskerMessage<String> message) throws InterruptedException {
			this.ids.add(message.id());
			if (this.block) {
				// outlive the lease, which the test revokes meanwhile
				this.release.await(20, TimeUnit.SECONDS);
			}
		}

	}

}
