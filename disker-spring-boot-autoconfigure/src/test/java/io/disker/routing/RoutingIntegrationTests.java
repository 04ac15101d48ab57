package io.disker.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.core.DiskerMessage;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Exchanges, routing keys and bindings against a real Redis (Dispatcher scenarios).
 */
@RedisTest
class RoutingIntegrationTests {

	private static final String DISPATCHER_CONFIG = "disker.routing.exchanges.dispatcher_test.type=direct";

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	RoutingIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	// DSP-01
	@Test
	void declaredQueuesAndBindingsExistAfterStartAndEitherKeyLandsInTheQueue() {
		ConfigurableApplicationContext node = start(NoListeners.class, DISPATCHER_CONFIG,
				"disker.routing.exchanges.dispatcher_test.bindings[0].queue=test_queue",
				"disker.routing.exchanges.dispatcher_test.bindings[0].keys=test_rk_1,test_rk_2");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		await().untilAsserted(
				() -> assertThat(this.redis.cli().keys("disker:x:*")).contains("disker:x:{dispatcher_test}:bindings",
						"disker:x:{dispatcher_test}:meta", "disker:x:{dispatcher_test}:version"));
		assertThat(routing.getBindings("dispatcher_test").join()).containsExactly(
				new Binding("dispatcher_test", "test_rk_1", "test_queue"),
				new Binding("dispatcher_test", "test_rk_2", "test_queue"));
		await()
			.untilAsserted(() -> assertThat(this.redis.cli().command("ZRANGE", "disker:queues", "0", "-1").toString())
				.contains("q:test_queue"));
		routing.send("dispatcher_test", "test_rk_1", "one").join();
		routing.send("dispatcher_test", "test_rk_2", "two").join();
		assertThat(this.redis.cli().llen("disker:q:{test_queue}:ready")).isEqualTo(2);
	}

	// DSP-02
	@Test
	void invalidRoutingPropertiesFailStartupNamingTheProperty() {
		assertThatThrownBy(() -> start(NoListeners.class, "disker.routing.exchanges.images.bindings[0].keys=a"))
			.hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class)
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.images.bindings[0].queue")
			.hasMessageContaining("Invalid queue name: it must not be empty");
		assertThatThrownBy(() -> start(NoListeners.class, "disker.routing.exchanges.images.bindings[0].queue=thumbs",
				"disker.routing.exchanges.images.bindings[0].keys=ok,bad key"))
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.images.bindings[0].keys[1]")
			.hasMessageContaining("U+0020");
		assertThatThrownBy(() -> start(NoListeners.class, "disker.routing.exchanges.images.bindings[0].queue=thumbs"))
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.images.bindings[0].keys")
			.hasMessageContaining("needs at least one binding key");
		assertThatThrownBy(() -> start(NoListeners.class, DISPATCHER_CONFIG,
				"disker.routing.exchanges.dispatcher_test.bindings[0].queue=q",
				"disker.routing.exchanges.dispatcher_test.bindings[0].keys=a.*"))
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.dispatcher_test.bindings[0].keys[0]")
			.hasMessageContaining("is direct");
		assertThatThrownBy(() -> start(NoListeners.class, "disker.routing.exchanges.images.alternate-queue=bad/queue"))
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.images.alternate-queue");
		assertThatThrownBy(() -> start(NoListeners.class, "disker.routing.exchanges.images.default-routing-key=a.#"))
			.rootCause()
			.hasMessageContaining("disker.routing.exchanges.images.default-routing-key");
	}

	// DSP-15
	@Test
	void aRoutingKeyReachesOnlyTheQueuesBoundToItAndTheDefaultKeyApplies() {
		ConfigurableApplicationContext node = start(NoListeners.class, DISPATCHER_CONFIG,
				"disker.routing.exchanges.dispatcher_test.default-routing-key=test_rk_1",
				"disker.routing.exchanges.dispatcher_test.bindings[0].queue=q1",
				"disker.routing.exchanges.dispatcher_test.bindings[0].keys=test_rk_1",
				"disker.routing.exchanges.dispatcher_test.bindings[1].queue=q2",
				"disker.routing.exchanges.dispatcher_test.bindings[1].keys=test_rk_2");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		routing.send("dispatcher_test", "test_rk_2", "to q2").join();
		assertThat(this.redis.cli().llen("disker:q:{q1}:ready")).isZero();
		assertThat(this.redis.cli().llen("disker:q:{q2}:ready")).isEqualTo(1);
		routing.send("dispatcher_test", DiskerMessage.to("dispatcher_test").task("t").payload("default").build())
			.join();
		assertThat(this.redis.cli().llen("disker:q:{q1}:ready")).isEqualTo(1);
		assertThatIllegalStateException().isThrownBy(() -> routing.send("other", DiskerMessage.to("other").build()))
			.withMessageContaining("disker.routing.exchanges.other.default-routing-key");
	}

	// DSP-18
	@Test
	void unroutableSendFailsAndEnqueuesNothing() {
		ConfigurableApplicationContext node = start(NoListeners.class, DISPATCHER_CONFIG,
				"disker.routing.exchanges.dispatcher_test.bindings[0].queue=q1",
				"disker.routing.exchanges.dispatcher_test.bindings[0].keys=test_rk_1");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		CompletableFuture<String> unroutable = routing.send("dispatcher_test", "nobody", "lost?");
		assertThatThrownBy(unroutable::join).cause().isInstanceOfSatisfying(UnroutableMessageException.class, (ex) -> {
			assertThat(ex.getExchange()).isEqualTo("dispatcher_test");
			assertThat(ex.getRoutingKey()).isEqualTo("nobody");
		});
		assertThatThrownBy(() -> routing.send("never_declared", "k", "x").join())
			.hasCauseInstanceOf(UnroutableMessageException.class);
		assertThat(this.redis.cli().keys("disker:q:*")).isEmpty();
	}

	@Test
	void unroutableSendGoesToTheAlternateQueueWhenConfigured() {
		ConfigurableApplicationContext node = start(NoListeners.class,
				"disker.routing.exchanges.images.alternate-queue=unrouted",
				"disker.routing.exchanges.images.bindings[0].queue=thumbs",
				"disker.routing.exchanges.images.bindings[0].keys=image.*.resize");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		routing.send("images", "image.png.crop", "to the alternate").join();
		routing.send("images", "image.png.resize", "to thumbs").join();
		assertThat(this.redis.cli().llen("disker:q:{unrouted}:ready")).isEqualTo(1);
		assertThat(this.redis.cli().llen("disker:q:{thumbs}:ready")).isEqualTo(1);
	}

	@Test
	void fanOutDeliversOneMessageToEveryBoundQueueWithTheSameId() {
		ConfigurableApplicationContext node = start(NoListeners.class,
				"disker.routing.exchanges.events.bindings[0].queue=a",
				"disker.routing.exchanges.events.bindings[0].keys=order.#",
				"disker.routing.exchanges.events.bindings[1].queue=b",
				"disker.routing.exchanges.events.bindings[1].keys=*.created",
				"disker.routing.exchanges.events.bindings[2].queue=c",
				"disker.routing.exchanges.events.bindings[2].keys=#",
				"disker.routing.exchanges.events.bindings[3].queue=d",
				"disker.routing.exchanges.events.bindings[3].keys=order.created,order.*");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		String id = routing.send("events", "order.created", "o-1").join();
		for (String queue : List.of("a", "b", "c", "d")) {
			List<String> ready = this.redis.cli().lrange("disker:q:{" + queue + "}:ready", 0, -1);
			assertThat(ready).as(queue)
				.singleElement()
				.asString()
				.contains("\"id\":\"" + id + "\"")
				.contains("\"queue\":\"" + queue + "\"");
		}
		routing.send("events", "user.created", "u-1").join();
		assertThat(this.redis.cli().llen("disker:q:{a}:ready")).isEqualTo(1);
		assertThat(this.redis.cli().llen("disker:q:{b}:ready")).isEqualTo(2);
	}

	@Test
	void bindingsChangedAtRuntimeByOneInstanceApplyToTheNextSendOfAnother() {
		ConfigurableApplicationContext first = start(NoListeners.class);
		ConfigurableApplicationContext second = start(NoListeners.class);
		DiskerRouting producer = first.getBean(DiskerRouting.class);
		DiskerRouting admin = second.getBean(DiskerRouting.class);
		assertThatThrownBy(() -> producer.send("live", "k.1", "x").join())
			.hasCauseInstanceOf(UnroutableMessageException.class);
		assertThat(admin.bind(new Binding("live", "k.*", "q")).join()).isTrue();
		assertThat(admin.bind(new Binding("live", "k.*", "q")).join()).isFalse();
		producer.send("live", "k.1", "x").join();
		assertThat(this.redis.cli().llen("disker:q:{q}:ready")).isEqualTo(1);
		assertThat(admin.unbind(new Binding("live", "k.*", "q")).join()).isTrue();
		assertThatThrownBy(() -> producer.send("live", "k.1", "x").join())
			.hasCauseInstanceOf(UnroutableMessageException.class);
		assertThat(this.redis.cli().llen("disker:q:{q}:ready")).isEqualTo(1);
	}

	@Test
	void exchangeTypeConflictIsRefused() {
		ConfigurableApplicationContext node = start(NoListeners.class);
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		routing.declareExchange(new Exchange("typed", ExchangeType.DIRECT, null)).join();
		assertThatThrownBy(() -> routing.declareExchange(new Exchange("typed", ExchangeType.TOPIC, null)).join())
			.hasCauseInstanceOf(IllegalStateException.class)
			.hasMessageContaining("exchange is declared as direct, not topic");
	}

	@Test
	void listenerBindingsDeliverRoutedMessagesToTheListener() {
		ConfigurableApplicationContext node = start(BoundListener.class);
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		BoundListener listener = node.getBean(BoundListener.class);
		routing.send("images", "image.png.resize", "a.png").join();
		routing.send("images", "image.jpg.thumbnail", "b.jpg").join();
		await().untilAsserted(() -> assertThat(listener.received).containsExactlyInAnyOrder("a.png", "b.jpg"));
	}

	// DSP-19
	@Test
	void concurrentPublishesAllArrive() throws Exception {
		ConfigurableApplicationContext node = start(NoListeners.class,
				"disker.routing.exchanges.bulk.bindings[0].queue=bulk_q",
				"disker.routing.exchanges.bulk.bindings[0].keys=#");
		DiskerRouting routing = node.getBean(DiskerRouting.class);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				done.add(threads.submit(() -> {
					List<CompletableFuture<String>> sends = new ArrayList<>();
					for (int i = 0; i < 1000; i++) {
						sends.add(routing.send("bulk", "t" + thread + ".m" + i, i));
					}
					sends.forEach(CompletableFuture::join);
				}));
			}
			for (Future<?> future : done) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.redis.cli().llen("disker:q:{bulk_q}:ready")).isEqualTo(8000);
	}

	private ConfigurableApplicationContext start(Class<?> configuration, String... properties) {
		return this.nodes.start(new Class<?>[] { WithRouting.class, configuration }, properties);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

	@Configuration(proxyBeanMethods = false)
	static class BoundListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "thumbnails", bindings = @io.disker.annotation.Binding(exchange = "images",
				key = { "image.*.resize", "image.*.thumbnail" }))
		void on(String url) {
			this.received.add(url);
		}

	}

}
