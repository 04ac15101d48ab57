package io.disker.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DiskerMessage;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCluster;
import io.disker.test.RedisServerProcess;
import io.disker.timer.DTimer;
import io.disker.timer.TimerRecorder;
import io.disker.timer.TimerTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disker's core scenarios on a real 3-master Redis Cluster with a replica each, shared by
 * the class (none of them harms the cluster): queues spread over every master, request
 * and reply, delayed delivery and the timer.
 */
class ClusterScenariosIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisCluster cluster;

	private static ClusterApps apps;

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void start() {
		cluster = RedisCluster.start(3, 1);
		apps = ClusterApps.cluster(cluster.nodesProperty());
		app = apps.start(TimerTestApplication.class, "disker.timer.confirm-timeout=1s");
	}

	@AfterAll
	static void stop() {
		if (apps != null) {
			apps.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void queuesOnEveryMasterDeliverEachMessageOnce() {
		List<String> queues = IntStream.range(0, 12).mapToObj((i) -> "c.q" + i).toList();
		Set<RedisServerProcess> masters = ConcurrentHashMap.newKeySet();
		queues.forEach((queue) -> masters.add(cluster.masterFor("disker:q:{" + queue + "}:ready")));
		assertThat(masters).hasSize(3);
		Map<String, Integer> received = new ConcurrentHashMap<>();
		for (String queue : queues) {
			registry().register(queue, (message) -> {
				received.merge((String) message.payload(), 1, Integer::sum);
				return null;
			}, DiskerListenerOptions.of(String.class));
		}
		for (String queue : queues) {
			for (int i = 0; i < 20; i++) {
				template().send(queue, queue + "-" + i).join();
			}
		}
		await().atMost(WAIT).until(() -> received.size() == queues.size() * 20);
		assertThat(received.values()).containsOnly(1);
	}

	@Test
	void requestAndReply() throws Exception {
		registry().register("c.echo", (message) -> ((String) message.payload()).toUpperCase(),
				DiskerListenerOptions.of(String.class));
		String reply = template().request("c.echo", "hello", String.class, Duration.ofSeconds(10))
			.get(15, TimeUnit.SECONDS);
		assertThat(reply).isEqualTo("HELLO");
	}

	@Test
	void delayedMessageArrivesAfterItsDelay() throws Exception {
		BlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
		registry().register("c.delay", (message) -> {
			arrivals.add(System.nanoTime());
			return null;
		}, DiskerListenerOptions.of(String.class));
		long sent = System.nanoTime();
		template().send(DiskerMessage.to("c.delay").payload("later").delay(Duration.ofMillis(800)).build())
			.get(10, TimeUnit.SECONDS);
		Long arrived = arrivals.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
		assertThat(arrived).isNotNull();
		assertThat(TimeUnit.NANOSECONDS.toMillis(arrived - sent)).isGreaterThanOrEqualTo(700);
	}

	@Test
	void timerEventFiresOnce() {
		TimerRecorder recorder = app.getBean(TimerRecorder.class);
		String id = app.getBean(DTimer.class).post(Map.of("msg", "hello"), Duration.ofMillis(300));
		await().atMost(WAIT).until(() -> recorder.count(id) == 1);
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> recorder.count(id) == 1);
	}

	private static DiskerListenerRegistry registry() {
		return app.getBean(DiskerListenerRegistry.class);
	}

	private static RequestTemplate template() {
		return app.getBean(RequestTemplate.class);
	}

}
