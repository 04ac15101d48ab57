package io.disker.queue.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerOperations;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While messages come, a consumer's fetch script waits in Redis behind its blocking wait
 * (pipelined on its connection), so that a message that comes alone is taken in the same
 * round trip; after a whole wait that brought nothing, the consumer waits without it, and
 * idling costs no script calls. Redis shows a command pipelined behind a blocked one as
 * unread bytes of that client's query buffer ({@code qbuf} in {@code CLIENT LIST}). The
 * node waits 2 s per receive, so that no wait runs out between two steps of the test.
 */
@RedisTest
class PipelinedWaitIntegrationTests {

	private static final String QUEUE = "pipelined";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	PipelinedWaitIntegrationTests(RedisTarget redis) {
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

	@Test
	void whileMessagesComeTheFetchIsPipelinedBehindTheWaitAndAfterAnIdleWaitItIsNot() {
		ConfigurableApplicationContext node = this.nodes.start(Worker.class, "disker.listener.receive-timeout=2s");
		DiskerOperations operations = node.getBean(DiskerOperations.class);
		Received received = node.getBean(Received.class);
		try (RedisCli cli = this.redis.cli()) {
			// no traffic yet: a plain wait
			await().atMost(WAIT).until(() -> !blockedWaits(cli).isEmpty());
			assertThat(blockedWaits(cli)).allMatch((client) -> queryBufferBytes(client) == 0);

			operations.send(QUEUE, "first").join();
			await().atMost(WAIT).until(() -> received.payloads.size() == 1);
			await().atMost(WAIT)
				.until(() -> blockedWaits(cli).stream().anyMatch((client) -> queryBufferBytes(client) > 0));
			// the pipelined fetch takes what arrives
			operations.send(QUEUE, "second").join();
			await().atMost(WAIT).until(() -> received.payloads.size() == 2);
			assertThat(received.payloads).containsExactly("first", "second");

			// a whole wait without messages: waits without a fetch behind them again
			await().atMost(WAIT)
				.until(() -> !blockedWaits(cli).isEmpty()
						&& blockedWaits(cli).stream().allMatch((client) -> queryBufferBytes(client) == 0));
			operations.send(QUEUE, "third").join();
			await().atMost(WAIT).until(() -> received.payloads.size() == 3);
			assertThat(cli.keys("disker:q:{" + QUEUE + "}:ready")).isEmpty();
		}
	}

	/** The clients blocked in a wait, as fields of CLIENT LIST. */
	private static List<Map<String, String>> blockedWaits(RedisCli cli) {
		return cli.clients()
			.stream()
			.filter((client) -> "blmove".equals(client.get("cmd")) && client.get("flags").contains("b"))
			.toList();
	}

	private static long queryBufferBytes(Map<String, String> client) {
		return Long.parseLong(client.get("qbuf"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		@Bean
		Received pipelinedReceived() {
			return new Received();
		}

	}

	static class Received {

		final List<String> payloads = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = QUEUE)
		void handle(String payload) {
			this.payloads.add(payload);
		}

	}

}
