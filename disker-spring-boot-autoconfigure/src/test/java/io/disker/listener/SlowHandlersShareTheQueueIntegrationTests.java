package io.disker.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
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
 * A listener whose handlers are slow holds little more than it handles, whatever its
 * prefetch: an instance that starts later still gets its share of a backlog, rather than
 * idling while the first instance hoards the queue.
 */
@RedisTest
class SlowHandlersShareTheQueueIntegrationTests {

	private static final String QUEUE = "pace.slow";

	private static final String LISTENER = "slow-tasks";

	private static final int BACKLOG = 20;

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	SlowHandlersShareTheQueueIntegrationTests(RedisTarget redis) {
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
	void aLaterInstanceGetsItsShareOfABacklogOfSlowTasks() {
		DiskerOperations producer = this.nodes.start(Producer.class).getBean(DiskerOperations.class);
		for (int i = 0; i < BACKLOG; i++) {
			producer.send(QUEUE, "task " + i).join();
		}
		ConfigurableApplicationContext second = this.nodes.start(SlowWorker.class,
				"disker.listener.auto-startup=false");
		// the prefetch (250 by default) would take the whole backlog in one fetch
		SlowTasks firstTasks = this.nodes.start(SlowWorker.class).getBean(SlowTasks.class);
		await().atMost(WAIT).until(() -> firstTasks.handled.get() >= 2);
		try (RedisCli cli = this.redis.cli()) {
			List<String> held = cli.keys("disker:q:{" + QUEUE + "}:proc:*");
			assertThat(held).hasSize(1);
			// one handler of 100 ms: the message it handles, one buffered, and at most
			// one whose acknowledgement is on its way
			assertThat(cli.llen(held.get(0))).isLessThanOrEqualTo(3);
			assertThat(cli.llen("disker:q:{" + QUEUE + "}:ready")).isGreaterThanOrEqualTo(BACKLOG - 2 - 3);
		}
		second.getBean(DiskerListenerRegistry.class).getListenerContainer(LISTENER).start();
		SlowTasks secondTasks = second.getBean(SlowTasks.class);
		await().atMost(WAIT).until(() -> firstTasks.handled.get() + secondTasks.handled.get() == BACKLOG);
		// both handle at the same pace from here on: the second gets about half of what
		// was left
		assertThat(secondTasks.handled.get()).isGreaterThanOrEqualTo(BACKLOG / 4);
	}

	@Configuration(proxyBeanMethods = false)
	static class Producer {

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowWorker {

		@Bean
		SlowTasks slowTasks() {
			return new SlowTasks();
		}

	}

	static class SlowTasks {

		final AtomicInteger handled = new AtomicInteger();

		@DiskerListener(id = LISTENER, queue = QUEUE)
		void handle(String task) throws InterruptedException {
			// the task's own work
			Thread.sleep(100);
			this.handled.incrementAndGet();
		}

	}

}
