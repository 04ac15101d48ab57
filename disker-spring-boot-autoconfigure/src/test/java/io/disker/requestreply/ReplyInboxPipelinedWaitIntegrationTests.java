package io.disker.requestreply;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.disker.test.ThreadWaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While replies come, the reply inbox pipelines its drain behind its blocking wait, so
 * that a reply comes back with the wait's answer; after a whole wait that brought none,
 * it waits without the drain. Redis shows a command pipelined behind a blocked one as
 * unread bytes of that client's query buffer ({@code qbuf} in {@code CLIENT LIST}); the
 * requesting node's connections carry its client name. It waits 2 s per receive, so that
 * no wait runs out between two steps of the test.
 * <p>
 * While small replies come one at a time, the Redis I/O thread that reads a reply issues
 * the next wait itself: the reader thread sleeps through them.
 */
@RedisTest
class ReplyInboxPipelinedWaitIntegrationTests {

	private static final String REQUESTER = "inbox-requester";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	ReplyInboxPipelinedWaitIntegrationTests(RedisTarget redis) {
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
	void whileRepliesComeTheDrainIsPipelinedBehindTheWaitAndAfterAnIdleWaitItIsNot() throws Exception {
		RequestTemplate requests = startRequester();
		try (RedisCli cli = this.redis.cli()) {
			awaitDrainBehindTheWait(requests, cli);
			for (int i = 0; i < 20; i++) {
				assertThat(requests.request("pipelined.echo", "reply " + i, String.class).get(10, TimeUnit.SECONDS))
					.isEqualTo("reply " + i);
			}
			// a whole wait without replies: waits without a drain behind them again
			await().atMost(WAIT)
				.until(() -> !inboxWaits(cli).isEmpty()
						&& inboxWaits(cli).stream().allMatch((client) -> queryBufferBytes(client) == 0));
			assertThat(requests.request("pipelined.echo", "after", String.class).get(10, TimeUnit.SECONDS))
				.isEqualTo("after");
		}
	}

	@Test
	void smallRepliesReadBehindTheWaitCompleteOnTheThreadThatReadsThemLargeOnesOnTheReader() throws Exception {
		RequestTemplate requests = startRequester();
		try (RedisCli cli = this.redis.cli()) {
			awaitDrainBehindTheWait(requests, cli);
			assertThat(completingThread(requests, "small")).startsWith("lettuce-");
			String large = "x".repeat(20 * 1024);
			assertThat(completingThread(requests, large)).startsWith("disker-");
		}
	}

	@Test
	void whileSmallRepliesComeOneAtATimeTheReaderThreadSleepsThroughThem() throws Exception {
		RequestTemplate requests = startRequester();
		try (RedisCli cli = this.redis.cli()) {
			awaitDrainBehindTheWait(requests, cli);
			long waitsBefore = ThreadWaits.of(ReplyInbox.class, "read");
			int replies = 50;
			for (int i = 0; i < replies; i++) {
				assertThat(requests.request("pipelined.echo", "reply " + i, String.class).get(10, TimeUnit.SECONDS))
					.isEqualTo("reply " + i);
			}
			// a reader woken for every reply parks again for every next one
			assertThat(ThreadWaits.of(ReplyInbox.class, "read") - waitsBefore).isLessThan(replies / 2);
		}
	}

	private RequestTemplate startRequester() {
		this.nodes.start(Echo.class);
		return this.nodes
			.start(Requester.class, "spring.data.redis.client-name=" + REQUESTER, "disker.listener.receive-timeout=2s")
			.getBean(RequestTemplate.class);
	}

	/** After a first reply, the reply inbox waits with its drain pipelined behind. */
	private static void awaitDrainBehindTheWait(RequestTemplate requests, RedisCli cli) throws Exception {
		assertThat(requests.request("pipelined.echo", "one", String.class).get(10, TimeUnit.SECONDS)).isEqualTo("one");
		await().atMost(WAIT).until(() -> inboxWaits(cli).stream().anyMatch((client) -> queryBufferBytes(client) > 0));
	}

	/**
	 * The thread that completes a request's future: the one a caller in get() waits for.
	 */
	private static String completingThread(RequestTemplate requests, String payload) throws Exception {
		ReplyFuture<String> reply = (ReplyFuture<String>) requests.request("pipelined.gated", payload, String.class);
		CompletableFuture<String> thread = new CompletableFuture<>();
		reply.whenCompleteInline((value, ex) -> thread.complete(Thread.currentThread().getName()));
		// answered only now, so that the action above is attached before the reply comes
		GatedEchoListener.gate.release();
		// waits for the action, not for the reply: a thread blocked in the reply's get()
		// runs the actions still pending once it wakes, racing the completing thread
		String completing = thread.get(10, TimeUnit.SECONDS);
		assertThat(reply.join()).isEqualTo(payload);
		return completing;
	}

	/** The requesting node's clients blocked in a wait: its reply inbox reader. */
	private static List<Map<String, String>> inboxWaits(RedisCli cli) {
		return cli.clients()
			.stream()
			.filter((client) -> REQUESTER.equals(client.get("name")) && "blmove".equals(client.get("cmd"))
					&& client.get("flags").contains("b"))
			.toList();
	}

	private static long queryBufferBytes(Map<String, String> client) {
		return Long.parseLong(client.get("qbuf"));
	}

	@Configuration(proxyBeanMethods = false)
	static class Requester {

	}

	@Configuration(proxyBeanMethods = false)
	static class Echo {

		@Bean
		EchoListener pipelinedEcho() {
			return new EchoListener();
		}

		@Bean
		GatedEchoListener gatedEcho() {
			return new GatedEchoListener();
		}

	}

	static class EchoListener {

		@DiskerListener(queue = "pipelined.echo")
		String echo(String payload) {
			return payload;
		}

	}

	static class GatedEchoListener {

		static final Semaphore gate = new Semaphore(0);

		@DiskerListener(queue = "pipelined.gated")
		String echo(String payload) throws InterruptedException {
			if (!gate.tryAcquire(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not released");
			}
			return payload;
		}

	}

}
