package io.disker.queue.support;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

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
 * An idle consumer parks its lease (after a whole receive timeout with nothing held and
 * nothing arriving): a long idle lease it refreshes itself, so that idling costs no
 * renewals; the next message is still taken at once, under the normal lease. The test
 * nodes wait 500 ms per receive, with a 2 s lease and a 200 ms sweep interval.
 */
@RedisTest
class LeaseParkingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	LeaseParkingIntegrationTests(RedisTarget redis) {
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
	void anIdleConsumerParksItsLeaseIsNotRenewedAndTakesTheNormalLeaseBackWithTheNextMessage() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		Listeners listeners = node.getBean(Listeners.class);
		LeaseManager leases = node.getBean(LeaseManager.class);
		try (RedisCli cli = this.redis.cli()) {
			// an idle lease lasts ten lease times (20 s) instead of 2 s
			await().atMost(WAIT)
				.until(() -> leaseExpiresIn(cli, "park.a") > 10_000 && leaseExpiresIn(cli, "park.b") > 10_000);
			String consumer = leaseHolders(cli, "park.a").get(0);
			// no renewal touches a parked lease: over six renewal periods (a third of the
			// lease time each), only a consumer's own refresh of its idle lease (at most
			// once per queue: every third of the idle lease) reads a lease
			long readsBefore = cli.commandCalls("zscore");
			long renewedBefore = leases.getLastRenewal();
			await().atMost(WAIT).until(() -> leases.getLastRenewal() > renewedBefore + 4000);
			assertThat(cli.commandCalls("zscore") - readsBefore).isLessThanOrEqualTo(2);

			node.getBean(DiskerOperations.class).send("park.a", "after the silence");
			await().atMost(WAIT).until(() -> listeners.received.contains("after the silence"));
			// the listener holds the message until released: the same consumer took it,
			// under the normal lease again
			assertThat(leaseHolders(cli, "park.a")).containsExactly(consumer);
			assertThat(leaseExpiresIn(cli, "park.a")).isLessThanOrEqualTo(2000);
			assertThat(cli.keys("disker:q:{park.a}:proc:*")).containsExactly("disker:q:{park.a}:proc:" + consumer);
			listeners.release.countDown();
			await().atMost(WAIT)
				.until(() -> cli.keys("disker:q:{park.a}:*")
					.stream()
					.noneMatch((key) -> key.endsWith(":ready") || key.contains(":proc:")));
		}
	}

	@Test
	void queuesWithParkedLeasesAreSweptOncePerLeaseTimeAndDeadConsumersStillRecovered() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(Workers.class);
		LeaseManager leases = node.getBean(LeaseManager.class);
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(WAIT)
				.until(() -> leaseExpiresIn(cli, "park.a") > 10_000 && leaseExpiresIn(cli, "park.b") > 10_000);
			long readsBefore = cli.commandCalls("zrangebyscore");
			// ten sweeps of 200 ms: reading the leases of both queues at every sweep
			// would
			// make 20 reads; a lease taken after a read expires no earlier than a lease
			// time
			// (2 s) later, so one read per queue and lease time is enough
			Set<Long> sweeps = new HashSet<>();
			await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
				sweeps.add(leases.getLastSweep());
				return sweeps.size() > 10;
			});
			assertThat(cli.commandCalls("zrangebyscore") - readsBefore).isLessThanOrEqualTo(2 * 3);

			// a consumer of another instance died holding a message
			cli.command("ZADD", "disker:q:{park.b}:leases", "1", "gone");
			cli.lpush("disker:q:{park.b}:proc:gone", "orphan");
			await().atMost(WAIT).until(() -> cli.keys("disker:q:{park.b}:proc:gone").isEmpty());
		}
	}

	/** Milliseconds until the lease of the queue's one consumer expires. */
	@SuppressWarnings("unchecked")
	private static long leaseExpiresIn(RedisCli cli, String queue) {
		List<String> lease = (List<String>) cli.command("ZRANGE", "disker:q:{" + queue + "}:leases", "0", "0",
				"WITHSCORES");
		if (lease == null || lease.isEmpty()) {
			return -1;
		}
		List<String> time = (List<String>) cli.command("TIME");
		long now = Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
		return (long) Double.parseDouble(lease.get(1)) - now;
	}

	@SuppressWarnings("unchecked")
	private static List<String> leaseHolders(RedisCli cli, String queue) {
		return (List<String>) cli.command("ZRANGE", "disker:q:{" + queue + "}:leases", "0", "-1");
	}

	@Configuration(proxyBeanMethods = false)
	static class Workers {

		@Bean
		Listeners parkingListeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		final List<String> received = new CopyOnWriteArrayList<>();

		final CountDownLatch release = new CountDownLatch(1);

		@DiskerListener(queue = "park.a")
		void a(String payload) throws InterruptedException {
			this.received.add(payload);
			this.release.await();
		}

		@DiskerListener(queue = "park.b")
		void b(String payload) {
		}

	}

}
