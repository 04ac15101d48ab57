package io.disker.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerOperations;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.disker.test.ThreadWaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages that come one at a time cost one fetch each: a consumer woken by a message
 * takes it with one script call, and waits again rather than running the script once more
 * (to find nothing) before its handler took the message. Such messages are handed to the
 * handlers by the Redis I/O thread that reads them, and each is handled exactly once.
 */
@RedisTest
class SparseTrafficFetchIntegrationTests {

	private static final String QUEUE = "sparse";

	private static final int MESSAGES = 30;

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	SparseTrafficFetchIntegrationTests(RedisTarget redis) {
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
	void eachMessageOfSparseTrafficCostsOneFetch() {
		// waits that never run out while the test sends: a wait that times out runs one
		// more fetch (pipelined behind it), which is not what this test counts
		ConfigurableApplicationContext node = this.nodes.start(Worker.class, "disker.listener.receive-timeout=5s");
		DiskerOperations operations = node.getBean(DiskerOperations.class);
		Counter counter = node.getBean(Counter.class);
		operations.send(QUEUE, "first").join();
		await().atMost(WAIT).until(() -> counter.handled.get() == 1);
		try (RedisCli cli = this.redis.cli()) {
			// the fetch script pops its batch with one RPOP; nothing else here pops
			long before = cli.commandCalls("rpop");
			for (int i = 1; i <= MESSAGES; i++) {
				operations.send(QUEUE, "message " + i).join();
				int handled = i + 1;
				await().atMost(WAIT).until(() -> counter.handled.get() == handled);
			}
			assertThat(cli.commandCalls("rpop") - before).isLessThanOrEqualTo(MESSAGES + 2);
		}
	}

	/**
	 * While messages keep coming, the fetch is pipelined behind the wait and its messages
	 * go into the buffer on the thread that reads them; the fetch thread must not add
	 * them a second time. With one handler the messages are handled in order, so a
	 * duplicate would be handled before the last message.
	 */
	@Test
	void messagesHandedOverOnArrivalAreHandledExactlyOnce() {
		ConfigurableApplicationContext node = this.nodes.start(Worker.class, "disker.listener.receive-timeout=5s");
		DiskerOperations operations = node.getBean(DiskerOperations.class);
		Counter counter = node.getBean(Counter.class);
		List<String> sent = new ArrayList<>();
		for (int i = 0; i <= MESSAGES; i++) {
			String message = "message " + i;
			sent.add(message);
			operations.send(QUEUE, message).join();
			int handled = i + 1;
			await().atMost(WAIT).until(() -> counter.handled.get() >= handled);
		}
		assertThat(counter.messages).containsExactlyElementsOf(sent);
	}

	/**
	 * While messages come one at a time, the Redis I/O thread that reads each fetch
	 * issues the next wait and fetch itself: the fetch thread sleeps through them. With a
	 * prefetch of 2, a chain that lost the slot of a message would soon take none.
	 */
	@Test
	void theFetchThreadSleepsThroughSparseTraffic() {
		ConfigurableApplicationContext node = this.nodes.start(Worker.class, "disker.listener.receive-timeout=5s",
				"disker.listener.prefetch=3");
		DiskerOperations operations = node.getBean(DiskerOperations.class);
		Counter counter = node.getBean(Counter.class);
		operations.send(QUEUE, "first").join();
		await().atMost(WAIT).until(() -> counter.handled.get() == 1);
		long waitsBefore = ThreadWaits.of(FetchLoop.class, "run");
		for (int i = 1; i <= MESSAGES; i++) {
			operations.send(QUEUE, "message " + i).join();
			int handled = i + 1;
			await().atMost(WAIT).until(() -> counter.handled.get() == handled);
		}
		// a fetch thread woken for every message waits again for every next one
		assertThat(ThreadWaits.of(FetchLoop.class, "run") - waitsBefore).isLessThan(MESSAGES / 2);
	}

	@Configuration(proxyBeanMethods = false)
	static class Worker {

		@Bean
		Counter sparseCounter() {
			return new Counter();
		}

	}

	static class Counter {

		final AtomicInteger handled = new AtomicInteger();

		final Queue<String> messages = new ConcurrentLinkedQueue<>();

		@DiskerListener(queue = QUEUE)
		void handle(String message) {
			this.messages.add(message);
			this.handled.incrementAndGet();
		}

	}

}
