package io.disker.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;
import io.disker.routing.Binding;
import io.disker.routing.DiskerRouting;
import io.disker.routing.Exchange;
import io.disker.routing.ExchangeType;
import io.disker.test.RedisCli;
import io.disker.test.RedisCluster;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real 3-master Redis Cluster: a sharded queue spreads over several masters and is
 * consumed whole, and a fan-out to queues on different masters reaches every queue once
 * (through the exchange's outbox, which empties).
 */
class ClusterShardsAndRoutingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static RedisCluster cluster;

	private static ClusterApps apps;

	private static ConfigurableApplicationContext app;

	@BeforeAll
	static void start() {
		cluster = RedisCluster.start(3, 0);
		apps = ClusterApps.cluster(cluster.nodesProperty());
		app = apps.start(RoutingApplication.class, "disker.queues[c.sharded].shards=3");
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
	void aShardedQueueSpreadsOverMastersAndIsConsumedWhole() {
		Set<RedisServerProcess> masters = ConcurrentHashMap.newKeySet();
		for (String tag : List.of("c.sharded", "c.sharded#1", "c.sharded#2")) {
			masters.add(cluster.masterFor("disker:q:{" + tag + "}:ready"));
		}
		assertThat(masters).hasSizeGreaterThan(1);
		Map<String, Integer> received = new ConcurrentHashMap<>();
		app.getBean(DiskerListenerRegistry.class).register("c.sharded", (message) -> {
			received.merge((String) message.payload(), 1, Integer::sum);
			return null;
		}, DiskerListenerOptions.of(String.class));
		RequestTemplate template = app.getBean(RequestTemplate.class);
		for (int i = 0; i < 90; i++) {
			template.send("c.sharded", "s-" + i).join();
		}
		await().atMost(WAIT).until(() -> received.size() == 90);
		assertThat(received.values()).containsOnly(1);
	}

	@Test
	void aFanOutReachesQueuesOnDifferentMastersOnce() {
		List<String> queues = new ArrayList<>();
		Set<RedisServerProcess> masters = ConcurrentHashMap.newKeySet();
		IntStream.range(0, 30).mapToObj((i) -> "c.fan" + i).forEach((queue) -> {
			if (queues.size() < 3 && masters.add(cluster.masterFor("disker:q:{" + queue + "}:ready"))) {
				queues.add(queue);
			}
		});
		assertThat(queues).hasSize(3);
		DiskerRouting routing = app.getBean(DiskerRouting.class);
		routing.declareExchange(new Exchange("c.fanout", ExchangeType.DIRECT, null)).join();
		Map<String, Integer> received = new ConcurrentHashMap<>();
		for (String queue : queues) {
			routing.bind(new Binding("c.fanout", "all", queue)).join();
			app.getBean(DiskerListenerRegistry.class).register(queue, (message) -> {
				received.merge(queue + "/" + message.payload(), 1, Integer::sum);
				return null;
			}, DiskerListenerOptions.of(String.class));
		}
		for (int i = 0; i < 10; i++) {
			routing.send("c.fanout", "all", "f-" + i).join();
		}
		await().atMost(WAIT).until(() -> received.size() == 30);
		assertThat(received.values()).containsOnly(1);
		RedisServerProcess exchangeMaster = cluster.masterFor("disker:x:{c.fanout}:outbox");
		try (RedisCli cli = exchangeMaster.cli()) {
			await().atMost(WAIT)
				.until(() -> Long.valueOf(0).equals(cli.command("ZCARD", "disker:x:{c.fanout}:outbox")));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class RoutingApplication {

	}

}
