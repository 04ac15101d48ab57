package io.disker.requestreply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.disker.core.DiskerConnectionException;
import io.disker.redis.DiskerConnections;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import io.disker.test.RedisTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A send that Redis never answers (the server frozen) fails after
 * {@code disker.producer.send-timeout} with the same error whether Lettuce's command
 * timeout ends it (Disker's own client, whose commands time out no later than a send) or
 * the send's own timer does (the application's client, whose timeout is longer).
 */
class SendTimeoutIntegrationTests {

	private static final String NO_ANSWER = "Sending to queue 'frozen' got no answer from Redis within 1000 ms";

	private RedisServerProcess server;

	private DiskerNodes nodes;

	@BeforeEach
	void start() {
		this.server = RedisServerProcess.start();
		this.nodes = new DiskerNodes(RedisTarget.owned(this.server));
	}

	@AfterEach
	void stop() {
		this.server.thaw();
		this.nodes.close();
		this.server.close();
	}

	@Test
	void lettuceEndsAnUnansweredSendOfDiskersOwnClientAfterTheSendTimeout() throws Exception {
		ConfigurableApplicationContext context = this.nodes.start(Sender.class, "disker.producer.send-timeout=1s");
		assertThat(sendToFrozenRedis(context)).hasMessage(NO_ANSWER);
		assertThat(context.getBean(DiskerConnections.class).timesOutCommandsWithin(Duration.ofSeconds(1))).isTrue();
	}

	/**
	 * Sends issued while an unanswered push is on its way wait for it (they would go out
	 * together with the next push); when it times out they fail with it, without being
	 * written: once Redis answers again, the queue holds none of them.
	 */
	@Test
	void sendsWaitingBehindAnUnansweredPushFailWithItAndAreNeverWritten() throws Exception {
		ConfigurableApplicationContext context = this.nodes.start(Sender.class, "disker.producer.send-timeout=1s");
		RequestTemplate template = context.getBean(RequestTemplate.class);
		template.send("frozen", "before").get(10, TimeUnit.SECONDS);
		this.server.freeze();
		CompletableFuture<String> first = template.send("frozen", "while frozen");
		List<CompletableFuture<String>> behind = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			behind.add(template.send("frozen", "behind " + i));
		}
		for (CompletableFuture<String> send : behind) {
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> send.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(DiskerConnectionException.class)
				.withMessage(NO_ANSWER);
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> first.get(10, TimeUnit.SECONDS))
			.havingCause()
			.withMessage(NO_ANSWER);
		this.server.thaw();
		// on the same connection, so after what was written before Redis froze
		template.send("frozen", "after").get(10, TimeUnit.SECONDS);
		try (RedisCli cli = RedisCli.connect("127.0.0.1", this.server.port())) {
			assertThat(cli.lrange("disker:q:{frozen}:ready", 0, -1)).hasSize(3)
				.noneMatch((envelope) -> envelope.contains("behind"));
		}
	}

	@Test
	void theSendsOwnTimerEndsAnUnansweredSendWhenTheClientsTimeoutIsLonger() throws Exception {
		ConfigurableApplicationContext context = this.nodes.start(Sender.class, "disker.producer.send-timeout=1s",
				"disker.connection.consolidate-flushes=false", "spring.data.redis.timeout=60s");
		assertThat(sendToFrozenRedis(context)).hasMessage(NO_ANSWER);
		assertThat(context.getBean(DiskerConnections.class).timesOutCommandsWithin(Duration.ofSeconds(1))).isFalse();
	}

	private DiskerConnectionException sendToFrozenRedis(ConfigurableApplicationContext context) throws Exception {
		RequestTemplate template = context.getBean(RequestTemplate.class);
		// the shared connection is open before Redis stops answering
		template.send("frozen", "before").get(10, TimeUnit.SECONDS);
		this.server.freeze();
		long start = System.nanoTime();
		CompletableFuture<String> sent = template.send("frozen", "while frozen");
		ExecutionException failure = assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> sent.get(10, TimeUnit.SECONDS))
			.actual();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 5000L);
		assertThat(failure.getCause()).isInstanceOf(DiskerConnectionException.class);
		return (DiskerConnectionException) failure.getCause();
	}

	@Configuration(proxyBeanMethods = false)
	static class Sender {

	}

}
