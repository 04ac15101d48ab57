package io.disker.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.redis.DiskerKeys;
import io.disker.redis.QueueKeys;
import io.disker.routing.support.ExchangeStore;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fan-out of Redis Cluster (queue by queue through an outbox in the exchange's slot),
 * forced on a standalone Redis: every bound queue receives the message, also when the
 * sender died part-way (simulated by leaving a recorded fan-out unfinished).
 */
@RedisTest
class OutboxFanOutIntegrationTests {

	private static final List<String> QUEUES = List.of("c1", "c2", "c3");

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ConfigurableApplicationContext context;

	private ExchangeStore store;

	private DiskerRouting routing;

	OutboxFanOutIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void start() {
		this.redis.flushAll();
		this.context = this.nodes.start(new Class<?>[] { WithRouting.class });
		this.store = new ExchangeStore(this.context.getBean(QueueContext.class));
		this.store.setAtomicFanOut(false);
		this.routing = new DiskerRouting(this.store, this.context.getBean(MessageCodec.class));
		for (String queue : QUEUES) {
			this.routing.bind(new Binding("cluster", "order.#", queue)).join();
		}
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void queueByQueueFanOutReachesEveryBoundQueueAndLeavesNoRecord() {
		String id = this.routing.send("cluster", "order.created", "x").join();
		try (RedisCli cli = this.redis.cli()) {
			for (String queue : QUEUES) {
				assertThat(cli.lrange("disker:q:{" + queue + "}:ready", 0, -1)).singleElement().asString().contains(id);
			}
			assertThat(cli.keys("disker:x:{cluster}:outbox*")).isEmpty();
		}
	}

	@Test
	void aFanOutLeftUnfinishedBySenderThatDiedIsCompletedByTheSweep() {
		DiskerKeys keys = this.context.getBean(DiskerKeys.class);
		List<QueueKeys> targets = new ArrayList<>();
		List<byte[]> envelopes = new ArrayList<>();
		for (String queue : QUEUES) {
			targets.add(keys.queue(queue));
			envelopes.add(("{\"id\":\"m-1\",\"queue\":\"" + queue + "\"}").getBytes(StandardCharsets.UTF_8));
		}
		// the sender recorded the fan-out, wrote the first queue and died
		this.store.outbox().record(this.store.exchangeKeys("cluster"), "m-1", targets, envelopes).join();
		try (RedisCli cli = this.redis.cli()) {
			cli.lpushRaw(targets.get(0).ready(), envelopes.get(0));
			cli.command("HDEL", "disker:x:{cluster}:outbox:m-1", targets.get(0).ready());
		}
		// a young record may belong to a send in progress: left alone
		assertThat(this.routing.completeUnfinishedFanOuts(Duration.ofMinutes(1)).join()).isZero();
		assertThat(this.redis.cli().llen("disker:q:{c2}:ready")).isZero();

		assertThat(this.routing.completeUnfinishedFanOuts(Duration.ZERO).join()).isOne();
		try (RedisCli cli = this.redis.cli()) {
			for (String queue : QUEUES) {
				assertThat(cli.lrange("disker:q:{" + queue + "}:ready", 0, -1)).as(queue)
					.singleElement()
					.asString()
					.contains("\"queue\":\"" + queue + "\"");
			}
			assertThat(cli.keys("disker:x:{cluster}:outbox*")).isEmpty();
		}
		assertThat(this.routing.completeUnfinishedFanOuts(Duration.ZERO).join()).isZero();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

}
