package io.disker.requestreply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.disker.annotation.DiskerListener;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reply inbox completes a request's future as it reads the reply, so that a caller
 * waiting in {@code get()} wakes at once; a stage attached to the future runs on Disker's
 * reply executor, so that a callback that blocks holds up no other reply.
 */
@RedisTest
class ReplyCallbacksIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	ReplyCallbacksIntegrationTests(RedisTarget redis) {
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
	void aBlockingCallbackRunsOnTheReplyExecutorAndHoldsUpNoOtherReply() throws Exception {
		RequestTemplate requests = this.nodes.start(Echo.class).getBean(RequestTemplate.class);
		CountDownLatch release = new CountDownLatch(1);
		AtomicReference<String> callbackThread = new AtomicReference<>();
		CompletableFuture<String> first = requests.request("callbacks.echo", "first", String.class);
		CompletableFuture<Void> blocked = first.thenAccept((reply) -> {
			callbackThread.set(Thread.currentThread().getName());
			awaitQuietly(release);
		});
		try {
			assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
			// the first reply's callback still blocks: the next replies come all the same
			for (int i = 0; i < 5; i++) {
				assertThat(requests.request("callbacks.echo", "next " + i, String.class).get(10, TimeUnit.SECONDS))
					.isEqualTo("next " + i);
			}
			assertThat(blocked).isNotDone();
		}
		finally {
			release.countDown();
		}
		blocked.get(10, TimeUnit.SECONDS);
		assertThat(callbackThread.get()).startsWith("disker-reply-");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Echo {

		@Bean
		EchoListener callbacksEcho() {
			return new EchoListener();
		}

	}

	static class EchoListener {

		@DiskerListener(queue = "callbacks.echo")
		String echo(String payload) {
			return payload;
		}

	}

}
