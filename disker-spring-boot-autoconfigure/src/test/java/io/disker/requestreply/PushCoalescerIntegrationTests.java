package io.disker.requestreply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.core.DiskerConnectionException;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Sends issued while a push to their queue is on its way go out together, as one
 * {@code LPUSH}: the queue then holds every message once, in the order they were sent. A
 * push that Redis refuses fails each of its sends, and the queue takes sends again
 * afterwards.
 */
@RedisTest
class PushCoalescerIntegrationTests {

	private static final Pattern PAYLOAD = Pattern.compile("\"payload\":\"([^\"]*)\"");

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	PushCoalescerIntegrationTests(RedisTarget redis) {
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
	void sendsIssuedTogetherShareFewPushesAndLandOnceInOrder() throws Exception {
		RequestTemplate template = this.nodes.start(Sender.class).getBean(RequestTemplate.class);
		template.send("coalesced", "warm-up").get(10, TimeUnit.SECONDS);
		int messages = 2000;
		try (RedisCli cli = this.redis.cli()) {
			long pushesBefore = cli.commandCalls("lpush");
			List<CompletableFuture<String>> sends = new ArrayList<>();
			List<String> sent = new ArrayList<>();
			for (int i = 0; i < messages; i++) {
				sent.add("m" + i);
				sends.add(template.send("coalesced", "m" + i));
			}
			CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			// a push takes at least a round trip, and sends are issued much faster
			assertThat(cli.commandCalls("lpush") - pushesBefore).isLessThan(messages / 2);
			// the oldest message at the tail, where consumers take from
			List<String> queued = payloads(cli.lrange("disker:q:{coalesced}:ready", 0, -1));
			Collections.reverse(queued);
			assertThat(queued).first().isEqualTo("warm-up");
			assertThat(queued.subList(1, queued.size())).containsExactlyElementsOf(sent);
		}
	}

	@Test
	void aRefusedPushFailsEachOfItsSendsAndTheQueueTakesSendsAgainAfterwards() throws Exception {
		RequestTemplate template = this.nodes.start(Sender.class).getBean(RequestTemplate.class);
		try (RedisCli cli = this.redis.cli()) {
			// not a list: Redis refuses every push to it
			cli.set("disker:q:{refused}:ready", "not a list");
			List<CompletableFuture<String>> sends = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				sends.add(template.send("refused", "m" + i));
			}
			for (CompletableFuture<String> send : sends) {
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> send.get(10, TimeUnit.SECONDS))
					.havingCause()
					.isInstanceOf(DiskerConnectionException.class)
					.withMessageContaining("WRONGTYPE");
			}
			cli.command("DEL", "disker:q:{refused}:ready");
			template.send("refused", "after").get(10, TimeUnit.SECONDS);
			assertThat(payloads(cli.lrange("disker:q:{refused}:ready", 0, -1))).containsExactly("after");
		}
	}

	private static List<String> payloads(List<String> envelopes) {
		List<String> payloads = new ArrayList<>();
		for (String envelope : envelopes) {
			Matcher matcher = PAYLOAD.matcher(envelope);
			assertThat(matcher.find()).as(envelope).isTrue();
			payloads.add(matcher.group(1));
		}
		return payloads;
	}

	@Configuration(proxyBeanMethods = false)
	static class Sender {

	}

}
