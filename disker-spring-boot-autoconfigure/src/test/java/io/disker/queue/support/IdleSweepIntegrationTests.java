package io.disker.queue.support;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.disker.annotation.DiskerListener;
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
 * An instance does not sweep the queues it consumes while its own lease renewals find no
 * expired or revoked lease there (the renewal looks at the leases anyway); once a
 * consumer of another instance dies, the queue is swept and recovered again.
 */
@RedisTest
class IdleSweepIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	IdleSweepIntegrationTests(RedisTarget redis) {
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
	void quietQueuesAreNotSweptAndAnExpiredLeaseIsStillRecovered() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		LeaseManager leases = node.getBean(LeaseManager.class);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(10)).until(() -> leases.getLastRenewal() > 0);
			long readsBefore = cli.commandCalls("zrangebyscore");
			// ten sweeps (disker.listener.sweep-interval=200ms), each of which would read
			// the leases of 3 queues with ZRANGEBYSCORE (which nothing else here calls)
			Set<Long> sweeps = new HashSet<>();
			await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
				sweeps.add(leases.getLastSweep());
				return sweeps.size() > 10;
			});
			assertThat(cli.commandCalls("zrangebyscore") - readsBefore).isLessThan(10 * 3 / 2);

			// a consumer of another instance died holding a message
			cli.command("ZADD", "disker:q:{idle.a}:leases", "1", "gone");
			cli.lpush("disker:q:{idle.a}:proc:gone", "orphan");
			await().atMost(Duration.ofSeconds(10)).until(() -> cli.keys("disker:q:{idle.a}:proc:gone").isEmpty());
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		Listeners idleListeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		@DiskerListener(queue = "idle.a")
		void a(String payload) {
		}

		@DiskerListener(queue = "idle.b")
		void b(String payload) {
		}

		@DiskerListener(queue = "idle.c")
		void c(String payload) {
		}

	}

}
