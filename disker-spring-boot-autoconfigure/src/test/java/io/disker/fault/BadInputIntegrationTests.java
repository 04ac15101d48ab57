package io.disker.fault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.MessageTooLargeException;
import io.disker.listener.ContainerState;
import io.disker.queue.DeadLetters;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.CountingMetrics;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Reliability tests 23, 26 and 27 and the "raw garbage" acceptance item: whatever
 * bytes land in a queue, each bad message goes to the dead-letter list on its first
 * delivery with its exact bytes and a reason, no consumer thread dies, and valid messages
 * around it are processed.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
class BadInputIntegrationTests {

	private final DiskerNodes nodes;

	private final RedisTarget redis;

	BadInputIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.redis.flushAll();
	}

	/**
	 * Tests 23 and 26 and "raw garbage": non-JSON, truncated JSON, binary garbage, JSON
	 * that is not an envelope, a wrong envelope version, invalid UTF-8, payloads that do
	 * not convert and a 1 MiB entry over the 64 KB limit, pushed raw between valid
	 * messages: each is dead-lettered on first delivery with the expected reason and its
	 * exact bytes, never retried and never handed to the listener; every valid message is
	 * processed, also one sent after all the bad ones.
	 */
	@Test
	void malformedMessagesAreDeadLetteredOnFirstDeliveryWithTheirRawBytes(CapturedOutput output) { // DSP-10
		String queue = "bad-input";
		ConfigurableApplicationContext node = this.nodes.start(
				new Class<?>[] { OrdersConfiguration.class, Metrics.class }, "bad.queue=" + queue,
				"disker.max-message-size=64KB");
		Orders orders = node.getBean(Orders.class);
		List<Map.Entry<String, byte[]>> cases = new ArrayList<>();
		cases.add(Map.entry("deserialization", utf8("hello, this is not JSON")));
		cases.add(Map.entry("deserialization",
				utf8("{\"v\":1,\"id\":\"truncated\",\"queue\":\"" + queue + "\",\"payload\":{\"item\":\"a\"")));
		cases.add(Map.entry("invalid-envelope",
				utf8("{\"id\":\"no-version\",\"queue\":\"" + queue + "\",\"payload\":{}}")));
		cases.add(Map.entry("invalid-envelope",
				utf8("{\"v\":2,\"id\":\"version-2\",\"queue\":\"" + queue + "\",\"payload\":{}}")));
		cases.add(Map.entry("invalid-envelope", utf8("[1,2,3]")));
		cases.add(Map.entry("invalid-envelope",
				utf8("{\"v\":\"1\",\"id\":\"string-version\",\"queue\":\"" + queue + "\"}")));
		cases.add(Map.entry("invalid-envelope", utf8("{\"v\":1,\"queue\":\"" + queue + "\",\"payload\":{}}")));
		cases.add(Map.entry("conversion", envelope("wrong-type", queue, "{\"item\":\"a\",\"quantity\":\"many\"}")));
		cases.add(Map.entry("conversion", envelope("string-payload", queue, "\"just a string\"")));
		cases.add(Map.entry("too-large", repeat('[', 1024 * 1024)));
		cases.add(Map.entry("deserialization", invalidUtf8(queue)));
		cases.add(Map.entry("deserialization", garbage()));

		try (RedisCli cli = this.redis.cli()) {
			List<String> validIds = new ArrayList<>();
			for (int i = 0; i < cases.size(); i++) {
				String id = "valid-" + i;
				validIds.add(id);
				cli.lpushRaw("disker:q:{" + queue + "}:ready",
						envelope(id, queue, "{\"item\":\"i" + i + "\",\"quantity\":1}"), cases.get(i).getValue());
			}
			DeadLetters deadLetters = node.getBean(DeadLetters.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(queue) >= cases.size());
			String last = node.getBean(RequestTemplate.class).send(queue, new Order("after", 1)).join();
			validIds.add(last);
			await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.containsAll(validIds));

			List<DeadLetter> letters = deadLetters.list(queue, 0, 100);
			assertThat(letters).hasSize(cases.size());
			for (Map.Entry<String, byte[]> expected : cases) {
				DeadLetter letter = letters.stream()
					.filter((candidate) -> Arrays.equals(candidate.raw(), expected.getValue()))
					.findFirst()
					.orElseThrow(() -> new AssertionError(
							"No dead letter with the exact bytes of " + preview(expected.getValue())));
				assertThat(letter.reason()).as("reason for %s", preview(expected.getValue()))
					.isEqualTo(expected.getKey());
				assertThat(letter.attempts()).as("attempts of %s", preview(expected.getValue())).isLessThanOrEqualTo(1);
			}
			assertThat(orders.handled).containsExactlyInAnyOrderElementsOf(validIds);
			CountingMetrics metrics = node.getBean(CountingMetrics.class);
			// counted once Redis answered each dead-letter write: after the list shows
			// the letter
			await().atMost(Duration.ofSeconds(5)).until(() -> metrics.count("deadLettered", queue) == cases.size());
			assertThat(metrics.count("retried", queue)).isZero();
			assertThat(cli.keys("disker:q:{" + queue + "}:delayed")).isEmpty();
			assertThat(node.getBean(DiskerListenerRegistry.class).getListenerContainer("orders").getState())
				.isEqualTo(ContainerState.RUNNING);
			assertThat(output.getAll()).doesNotContain("Unexpected failure handling")
				.doesNotContain("Fetch loop of container");
		}
	}

	/**
	 * Test 26, producer side: a payload over {@code disker.max-message-size} makes
	 * {@code send} and {@code request} throw {@link MessageTooLargeException} before
	 * anything is written to Redis.
	 */
	@Test
	void oversizedSendThrowsAndWritesNothing() {
		ConfigurableApplicationContext node = this.nodes.start(Metrics.class, "disker.max-message-size=64KB");
		RequestTemplate template = node.getBean(RequestTemplate.class);
		Order big = new Order("x".repeat(70 * 1024), 1);
		try (RedisCli cli = this.redis.cli()) {
			long before = cli.dbSize();
			assertThatExceptionOfType(MessageTooLargeException.class).isThrownBy(() -> template.send("oversize", big));
			assertThatExceptionOfType(MessageTooLargeException.class)
				.isThrownBy(() -> template.request("oversize", big, String.class));
			assertThat(cli.dbSize()).isEqualTo(before);
			assertThat(cli.keys("disker:*oversize*")).isEmpty();
			assertThat(template.getPendingRequestCount()).isZero();
		}
	}

	/**
	 * Test 27: pathological JSON within a 4 MB limit — nesting depth 100,000 (inside an
	 * envelope and bare), a 1 MiB-long number, a 1 MiB numeric string where an int is
	 * expected and a 1M-element array — each is dead-lettered on first delivery with its
	 * bytes, without a StackOverflowError, and processing continues.
	 */
	@Test
	void pathologicalJsonIsDeadLetteredAndProcessingContinues(CapturedOutput output) {
		String queue = "pathological";
		ConfigurableApplicationContext node = this.nodes.start(
				new Class<?>[] { OrdersConfiguration.class, Metrics.class }, "bad.queue=" + queue,
				"disker.max-message-size=4MB");
		Orders orders = node.getBean(Orders.class);
		DeadLetters deadLetters = node.getBean(DeadLetters.class);
		String million = "1".repeat(1024 * 1024);
		Map<String, byte[]> cases = new LinkedHashMap<>();
		cases.put("nested payload", envelope("deep", queue, "[".repeat(100_000) + "]".repeat(100_000)));
		cases.put("nested document", utf8("[".repeat(100_000) + "]".repeat(100_000)));
		cases.put("long number", envelope("long-number", queue, "{\"item\":\"a\",\"quantity\":" + million + "}"));
		cases.put("long numeric string",
				envelope("long-string", queue, "{\"item\":\"a\",\"quantity\":\"" + million + "\"}"));
		cases.put("big array", envelope("big-array", queue, "[" + "0,".repeat(999_999) + "0]"));
		try (RedisCli cli = this.redis.cli()) {
			for (Map.Entry<String, byte[]> pathological : cases.entrySet()) {
				long before = deadLetters.count(queue);
				long start = System.nanoTime();
				cli.lpushRaw("disker:q:{" + queue + "}:ready", pathological.getValue());
				await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.count(queue) > before);
				System.out.printf("pathological %s (%d bytes): dead-lettered after %d ms%n", pathological.getKey(),
						pathological.getValue().length, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
				DeadLetter letter = deadLetters.list(queue, 0, 1).get(0);
				assertThat(letter.raw()).as(pathological.getKey()).isEqualTo(pathological.getValue());
				assertThat(letter.reason()).as(pathological.getKey())
					.isIn("deserialization", "invalid-envelope", "conversion");
				assertThat(letter.attempts()).isLessThanOrEqualTo(1);
			}
			String after = node.getBean(RequestTemplate.class).send(queue, new Order("after", 1)).join();
			await().atMost(Duration.ofSeconds(10)).until(() -> orders.handled.contains(after));
			assertThat(orders.handled).containsExactly(after);
			assertThat(output.getAll()).doesNotContain("StackOverflowError").doesNotContain("OutOfMemoryError");
		}
	}

	private static byte[] envelope(String id, String queue, String payloadJson) {
		return utf8("{\"v\":1,\"id\":\"" + id + "\",\"queue\":\"" + queue + "\",\"createdAt\":"
				+ System.currentTimeMillis() + ",\"attempt\":1,\"payload\":" + payloadJson + "}");
	}

	private static byte[] invalidUtf8(String queue) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(utf8("{\"v\":1,\"id\":\"bad-utf8\",\"queue\":\"" + queue + "\",\"payload\":{\"item\":\""));
		out.writeBytes(new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE });
		out.writeBytes(utf8("\",\"quantity\":1}}"));
		return out.toByteArray();
	}

	private static byte[] garbage() {
		byte[] bytes = new byte[4096];
		new Random(42).nextBytes(bytes);
		bytes[0] = (byte) 0xFF;
		bytes[1] = (byte) 0xFE;
		return bytes;
	}

	private static byte[] repeat(char c, int count) {
		byte[] bytes = new byte[count];
		Arrays.fill(bytes, (byte) c);
		return bytes;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String preview(byte[] raw) {
		String text = new String(raw, 0, Math.min(raw.length, 60), StandardCharsets.UTF_8);
		return "'" + text + ((raw.length > 60) ? "…' (" + raw.length + " bytes)" : "'");
	}

	record Order(String item, int quantity) {
	}

	static class Orders {

		final Set<String> handled = ConcurrentHashMap.newKeySet();

		@DiskerListener(id = "orders", queue = "${bad.queue}", concurrency = "2")
		void handle(Order order, DiskerMessage<Order> message) {
			this.handled.add(message.id());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersConfiguration {

		@Bean
		Orders orders() {
			return new Orders();
		}

	}

}
