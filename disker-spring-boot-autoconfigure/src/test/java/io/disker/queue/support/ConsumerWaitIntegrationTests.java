package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
	 * takes reach {@code onArrival} on the Redis I/O thread that reads them, before the
	 * waiting thread gets them too: a listener's handler starts without waiting for its
	 * fetch thread to be scheduled.
	 */
	@Test
	void messagesFetchedBehindAWaitReachOnArrivalOnTheThreadThatReadsThem() throws Exception {
		QueueConsumer consumer = this.queues.newConsumer(this.keys, "arrivals", Duration.ofSeconds(60));
		consumer.start();
		List<String> arrivalThreads = new CopyOnWriteArrayList<>();
		List<Delivery> arrived = new CopyOnWriteArrayList<>();
		Consumer<List<Delivery>> onArrival = (deliveries) -> {
			arrivalThreads.add(Thread.currentThread().getName());
			arrived.addAll(deliveries);
		};
		try (RedisCli cli = this.redis.cli()) {
			cli.lpush(this.keys.ready(), "m0");
			// the first wait of an idle consumer fetches after it, on the waiting thread
			assertThat(consumer.fetchBlocking(10, Duration.ofSeconds(5), onArrival)).hasSize(1);
			assertThat(arrived).isEmpty();
			CompletableFuture<List<Delivery>> waiting = CompletableFuture
				.supplyAsync(() -> consumer.fetchBlocking(10, Duration.ofSeconds(60), onArrival));
			awaitBlockedClients(cli, 1);
			cli.lpush(this.keys.ready(), "m1");
			List<Delivery> fetched = waiting.get(10, TimeUnit.SECONDS);
			assertThat(fetched).extracting((delivery) -> new String(delivery.raw(), StandardCharsets.UTF_8))
				.containsExactly("m1");
			assertThat(arrived).containsExactlyElementsOf(fetched);
			assertThat(arrivalThreads).singleElement().asString().startsWith("lettuce-");
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

	@Configuration(proxyBeanMethods = false)
	static class NoListeners {

	}

}
