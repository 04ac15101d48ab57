package io.disker.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.routing.support.ExchangeStore;
import io.disker.test.ChildJvm;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis Cluster fan-out (forced on a standalone Redis) when the sender is killed
 * (SIGKILL) mid-stream: after a sweep by another instance, every message that reached one
 * bound queue is in every bound queue.
 */
@RedisTest
class OutboxFanOutKillIntegrationTests {

	static final List<String> QUEUES = List.of("ob1", "ob2", "ob3", "ob4");

	private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	OutboxFanOutKillIntegrationTests(RedisTarget redis) {
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
	void everyMessageReachesEveryBoundQueueAfterTheSenderIsKilledMidFanOut() throws Exception {
		try (ChildJvm producer = ChildJvm.builder(OutboxProducerMain.class)
			.jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m")
			.systemProperty("spring.data.redis.host", this.redis.host())
			.systemProperty("spring.data.redis.port", Integer.toString(this.redis.port()))
			.start(); RedisCli cli = this.redis.cli()) {
			producer.awaitOutput("READY", Duration.ofSeconds(60));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> cli.llen("disker:q:{" + QUEUES.get(3) + "}:ready") > 3000);
			producer.kill();
		}
		ConfigurableApplicationContext context = this.nodes.start(new Class<?>[] { WithRouting.class });
		ExchangeStore store = new ExchangeStore(context.getBean(QueueContext.class));
		DiskerRouting survivor = new DiskerRouting(store, context.getBean(MessageCodec.class));
		for (String queue : QUEUES) {
			survivor.bind(new Binding("outbox", "#", queue)).join();
		}
		int unfinished = survivor.completeUnfinishedFanOuts(Duration.ZERO).join();
		System.out.println("outbox kill test: fan-outs left unfinished by the kill = " + unfinished);
		// with 500 fan-outs in flight, the kill cuts some short: the survivor completes
		// them
		assertThat(unfinished).isPositive();

		List<Set<String>> contents = new ArrayList<>();
		try (RedisCli cli = this.redis.cli()) {
			for (String queue : QUEUES) {
				Set<String> ids = new HashSet<>();
				for (String envelope : cli.lrange("disker:q:{" + queue + "}:ready", 0, -1)) {
					Matcher matcher = ID.matcher(envelope);
					assertThat(matcher.find()).isTrue();
					ids.add(matcher.group(1));
				}
				contents.add(ids);
			}
			assertThat(cli.keys("disker:x:{outbox}:outbox*")).isEmpty();
		}
		assertThat(contents.get(0)).hasSizeGreaterThan(3000);
		for (Set<String> ids : contents) {
			assertThat(ids).isEqualTo(contents.get(0));
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

}
