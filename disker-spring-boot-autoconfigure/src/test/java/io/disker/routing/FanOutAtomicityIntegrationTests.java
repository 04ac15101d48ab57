package io.disker.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fan-out is all or none: Redis is killed (SIGKILL) while messages are sent through an
 * exchange bound to four queues; after a restart from its append-only file, every message
 * is in all four queues or in none, and every acknowledged send is in all four.
 */
class FanOutAtomicityIntegrationTests {

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private static final List<String> QUEUES = List.of("fan1", "fan2", "fan3", "fan4");

	@Test
	void everyMessageIsInAllBoundQueuesOrInNoneAfterRedisIsKilledMidStream() throws Exception {
		try (RedisServerProcess process = RedisServerProcess.builder()
			.arg("--appendonly", "yes", "--appendfsync", "always")
			.start(); RedisTarget redis = RedisTarget.owned(process); DiskerNodes nodes = new DiskerNodes(redis)) {
			ConfigurableApplicationContext node = nodes.start(new Class<?>[] { WithRouting.class },
					"disker.producer.send-timeout=1s", "disker.routing.exchanges.fan.bindings[0].queue=fan1",
					"disker.routing.exchanges.fan.bindings[0].keys=#",
					"disker.routing.exchanges.fan.bindings[1].queue=fan2",
					"disker.routing.exchanges.fan.bindings[1].keys=order.*",
					"disker.routing.exchanges.fan.bindings[2].queue=fan3",
					"disker.routing.exchanges.fan.bindings[2].keys=*.created",
					"disker.routing.exchanges.fan.bindings[3].queue=fan4",
					"disker.routing.exchanges.fan.bindings[3].keys=order.created");
			DiskerRouting routing = node.getBean(DiskerRouting.class);
			routing.send("fan", "order.created", "warm-up").join();

			Set<String> acknowledged = ConcurrentHashMap.newKeySet();
			AtomicBoolean killed = new AtomicBoolean();
			List<CompletableFuture<?>> sends = new ArrayList<>();
			for (int i = 0; i < 20_000 && !killed.get(); i++) {
				sends.add(routing.send("fan", "order.created", i).thenAccept(acknowledged::add));
				if (i == 3000) {
					process.kill();
					killed.set(true);
				}
			}
			sends.forEach((send) -> send.handle((result, ex) -> null).join());
			process.restart();
			process.waitUntilReady(java.time.Duration.ofSeconds(10));

			List<Set<String>> contents = new ArrayList<>();
			try (RedisCli cli = process.cli()) {
				for (String queue : QUEUES) {
					Set<String> ids = new HashSet<>();
					for (String envelope : cli.lrange("disker:q:{" + queue + "}:ready", 0, -1)) {
						Matcher matcher = ID.matcher(envelope);
						assertThat(matcher.find()).isTrue();
						ids.add(matcher.group(1));
					}
					contents.add(ids);
				}
			}
			assertThat(contents.get(0)).containsAll(acknowledged).hasSizeGreaterThan(1);
			for (Set<String> ids : contents) {
				assertThat(ids).isEqualTo(contents.get(0));
			}
			// the node resumes routing once Redis is back (a send may fail while Lettuce
			// reconnects)
			await().ignoreExceptions()
				.untilAsserted(() -> assertThat(routing.send("fan", "order.created", "after").join()).isNotNull());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

}
