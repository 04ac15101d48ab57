package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.redis.QueueKeys;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A consumer's wait for messages moves nothing: a consumer that stalled past its lease
 * and the retention of its tombstone cannot move a message into a processing list nobody
 * recovers, and a wait can be cut short without {@code CLIENT UNBLOCK}.
 */
@RedisTest
class ConsumerWaitIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private QueueContext queues;

	private QueueKeys keys;

	ConsumerWaitIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void start() {
		this.redis.flushAll();
		ConfigurableApplicationContext node = this.nodes.start(NoListeners.class);
		this.queues = node.getBean(QueueContext.class);
		this.keys = this.queues.keys().queue("waits");
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	/**
	 * The orphan window: the consumer's lease record is gone (swept, then its tombstone
	 * removed) when it next waits; the message that arrives stays in the queue, and the
	 * consumer learns that it lost its lease.
	 */
	@Test
	void aConsumerWhoseLeaseRecordIsGoneTakesNothing() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "stalled", Duration.ofSeconds(5));
		consumer.start();
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ZREM", this.keys.leases(), consumer.consumerId());
			CompletableFuture<List<Delivery>> fetched = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(5)));
			cli.lpush(this.keys.ready(), "m1");
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> fetched.get(10, TimeUnit.SECONDS))
				.withCauseInstanceOf(LeaseLostException.class);
			assertThat(cli.lrange(this.keys.ready(), 0, -1)).containsExactly("m1");
			assertThat(cli.keys(this.keys.procPrefix() + "*")).isEmpty();
		}
		finally {
			consumer.abandon();
		}
	}

	/**
	 * {@code unblock()} ends a long wait at once by closing the connection (no
	 * {@code CLIENT UNBLOCK}, which an ACL may deny and Cluster cannot route); the
	 * consumer fetches on a fresh connection afterwards.
	 */
	@Test
	void unblockEndsALongWaitAndTheConsumerGoesOn() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "waiting", Duration.ofSeconds(60));
		consumer.start();
		try (RedisCli cli = this.redis.cli()) {
			long unblocksBefore = unblocks(cli);
			CompletableFuture<List<Delivery>> waiting = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(60)));
			awaitBlockedClients(cli, 1);
			consumer.unblock();
			assertThat(waiting.get(10, TimeUnit.SECONDS)).isEmpty();
			assertThat(unblocks(cli)).isEqualTo(unblocksBefore);
			cli.lpush(this.keys.ready(), "m1");
			assertThat(consumer.fetch(10)).hasSize(1);
		}
		finally {
			consumer.release();
		}
	}

	/**
	 * Once messages come, the fetch runs pipelined behind the wait, and the messages it
	 * takes reach the arrivals on the Redis I/O thread that reads them: a listener's
	 * handler starts without waiting for its fetch thread to be scheduled. Every fetch is
	 * settled once, with the most it could take.
	 */
	@Test
	void messagesFetchedBehindAWaitReachTheArrivalsOnTheThreadThatReadsThem() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "arrivals", Duration.ofSeconds(60));
		consumer.start();
		RecordingArrivals arrivals = new RecordingArrivals(0);
		try (RedisCli cli = this.redis.cli()) {
			cli.lpush(this.keys.ready(), "m0");
			// the first wait of an idle consumer fetches after it, on the waiting thread
			assertThat(consumer.fetchBlocking(10, Duration.ofSeconds(5), arrivals)).isTrue();
			assertThat(arrivals.settled).containsExactly("m0 of 10");
			assertThat(arrivals.threads).singleElement().isEqualTo(Thread.currentThread().getName());
			CompletableFuture<Boolean> waiting = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(60), arrivals));
			awaitBlockedClients(cli, 1);
			cli.lpush(this.keys.ready(), "m1");
			assertThat(waiting.get(10, TimeUnit.SECONDS)).as("the fetch emptied the queue").isTrue();
			assertThat(arrivals.settled).containsExactly("m0 of 10", "m1 of 10");
			assertThat(arrivals.threads.get(1)).startsWith("lettuce-");
		}
		finally {
			consumer.release();
		}
	}

	/**
	 * While messages come one by one, the I/O thread that reads a fetch issues the next
	 * wait and fetch itself, for as many as the arrivals allow, and the waiting thread
	 * returns only when the arrivals end the chain.
	 */
	@Test
	void whileMessagesComeOneByOneTheThreadThatReadsThemWaitsAndFetchesAgain() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "chain", Duration.ofSeconds(60));
		consumer.start();
		RecordingArrivals arrivals = new RecordingArrivals(2);
		try (RedisCli cli = this.redis.cli()) {
			cli.lpush(this.keys.ready(), "m0");
			consumer.fetchBlocking(10, Duration.ofSeconds(5), arrivals);
			CompletableFuture<Boolean> waiting = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(60), arrivals));
			for (int i = 1; i <= 3; i++) {
				awaitBlockedClients(cli, 1);
				assertThat(waiting).as("the chain runs on after %d messages", i - 1).isNotDone();
				cli.lpush(this.keys.ready(), "m" + i);
				int settled = i + 1;
				await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.settled.size() == settled);
			}
			assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
			// further fetches take as many as the arrivals allowed
			assertThat(arrivals.settled).containsExactly("m0 of 10", "m1 of 10", "m2 of 3", "m3 of 3");
			assertThat(arrivals.threads.subList(1, 4)).allMatch((name) -> name.startsWith("lettuce-"));
			assertThat(cli.command("LLEN", this.keys.proc(consumer.consumerId()))).isEqualTo(4L);
		}
		finally {
			consumer.release();
		}
	}

	/**
	 * A pause or stop cuts a chain short: the waiting thread returns and every fetch
	 * issued was settled, also the one in flight.
	 */
	@Test
	void unblockingEndsAChainAndSettlesTheFetchInFlight() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "chain-cut", Duration.ofSeconds(60));
		consumer.start();
		RecordingArrivals arrivals = new RecordingArrivals(Integer.MAX_VALUE);
		try (RedisCli cli = this.redis.cli()) {
			cli.lpush(this.keys.ready(), "m0");
			consumer.fetchBlocking(10, Duration.ofSeconds(5), arrivals);
			CompletableFuture<Boolean> waiting = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(60), arrivals));
			awaitBlockedClients(cli, 1);
			cli.lpush(this.keys.ready(), "m1");
			await().atMost(Duration.ofSeconds(10)).until(() -> arrivals.settled.size() == 2);
			awaitBlockedClients(cli, 1);
			consumer.unblock();
			assertThat(waiting.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(arrivals.settled).containsExactly("m0 of 10", "m1 of 10", "nothing of 3");
		}
		finally {
			consumer.release();
		}
	}

	private static void awaitBlockedClients(RedisCli cli, int count) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Integer.parseInt(cli.info("clients").get("blocked_clients")) == count);
	}

	private static long unblocks(RedisCli cli) {
		String stats = cli.info("commandstats").get("cmdstat_client|unblock");
		if (stats == null) {
			return 0;
		}
		return Long.parseLong(stats.substring(stats.indexOf("calls=") + 6, stats.indexOf(',')));
	}

	/**
	 * Records every settled fetch ({@code "<payloads> of <max>"}) and its thread, and
	 * allows a given number of further fetches of 3 messages each.
	 */
	private static final class RecordingArrivals implements FetchArrivals {

		final List<String> settled = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		private int further;

		RecordingArrivals(int further) {
			this.further = further;
		}

		@Override
		public void arrived(List<Delivery> messages, int max) {
			String payloads = messages.stream()
				.map((delivery) -> new String(delivery.raw(), StandardCharsets.UTF_8))
				.reduce((a, b) -> a + "," + b)
				.orElse("nothing");
			this.threads.add(Thread.currentThread().getName());
			this.settled.add(payloads + " of " + max);
		}

		@Override
		public int more() {
			if (this.further <= 0) {
				return 0;
			}
			this.further--;
			return 3;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

}
