package io.disker.boot.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.disker.boot.test.GreetingApplication.Greeting;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerOperations;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link DiskerTest @DiskerTest} on a Spring Boot test: the application reaches the
 * throwaway server, and the harness awaits listeners, reads dead letters and makes
 * delayed messages and retries due at once (the back-off is an hour, the timeout of every
 * wait ten seconds).
 */
@SpringBootTest(classes = GreetingApplication.class,
		properties = { "spring.data.redis.port=1", "spring.data.redis.password=wrong",
				"spring.data.redis.ssl.enabled=true", "disker.listener.retry.max-attempts=2",
				"disker.listener.retry.initial-interval=1h" })
@DiskerTest
class DiskerTestHarnessTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private DiskerOperations disker;

	@Autowired
	private DiskerTestHarness harness;

	@Autowired
	private TestRedisServer redis;

	@Autowired
	private Environment environment;

	@Test
	void springDataRedisPointsAtTheThrowawayServer() {
		assertThat(this.redis.isRunning()).isTrue();
		assertThat(this.environment.getProperty("spring.data.redis.port", Integer.class)).isEqualTo(this.redis.port());
		assertThat(this.environment.getProperty("spring.data.redis.url")).isEqualTo(this.redis.url());
		assertThat(this.environment.getProperty("disker.embedded-redis.enabled")).isEqualTo("false");
	}

	@Test
	void parametersComeFromTheContext(TestRedisServer server, DiskerTestHarness parameter) {
		assertThat(server).isSameAs(this.redis);
		assertThat(parameter).isSameAs(this.harness);
	}

	@Test
	void awaitsAMessageById() {
		String id = send(new Greeting("ada"));
		HandledMessage handled = this.harness.awaitHandled("greetings", id);
		assertThat(handled.succeeded()).isTrue();
		assertThat(handled.listenerId()).isEqualTo("greeter");
		assertThat(handled.payload(Greeting.class)).isEqualTo(new Greeting("ada"));
	}

	@Test
	void awaitsACountOfMessages() {
		for (int i = 0; i < 5; i++) {
			send(new Greeting("guest " + i));
		}
		List<HandledMessage> handled = this.harness.awaitHandled("greetings", 5);
		assertThat(handled).extracting((run) -> run.payload(Greeting.class).text())
			.containsExactlyInAnyOrder("guest 0", "guest 1", "guest 2", "guest 3", "guest 4");
	}

	@Test
	void awaitsAMatchingMessage() {
		send(new Greeting("bob"));
		send(new Greeting("eve"));
		HandledMessage eve = this.harness.awaitHandled("greetings",
				(run) -> "eve".equals(run.payload(Greeting.class).text()));
		assertThat(eve.queue()).isEqualTo("greetings");
	}

	@Test
	void aWaitThatIsNotMetFailsWithWhatItSaw() {
		send(new Greeting("carol"));
		this.harness.awaitHandled("greetings", 1);
		this.harness.setTimeout(Duration.ofMillis(300));
		try {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> this.harness.awaitHandled("greetings", "no-such-id"))
				.withMessageContaining("queue 'greetings'")
				.withMessageContaining("listener runs so far");
		}
		finally {
			this.harness.setTimeout(WAIT);
		}
	}

	@Test
	void makesADelayedMessageDueNow() {
		String id = await(this.disker
			.send(DiskerMessage.to("greetings").payload(new Greeting("later")).delay(Duration.ofHours(1)).build()));
		assertThat(this.harness.delayedCount("greetings")).isEqualTo(1);
		assertThat(this.harness.handled("greetings")).isEmpty();
		assertThat(this.harness.dueNow("greetings", id)).isTrue();
		assertThat(this.harness.awaitHandled("greetings", id).payload(Greeting.class).text()).isEqualTo("later");
		assertThat(this.harness.delayedCount("greetings")).isZero();
		assertThat(this.harness.dueNow("greetings", id)).isFalse();
	}

	@Test
	void makesEveryDelayedMessageOfAQueueDueNow() {
		for (int i = 0; i < 3; i++) {
			await(this.disker.send(DiskerMessage.to("greetings")
				.payload(new Greeting("later " + i))
				.delay(Duration.ofHours(1 + i))
				.build()));
		}
		assertThat(this.harness.dueNow("greetings")).isEqualTo(3);
		assertThat(this.harness.awaitHandled("greetings", 3)).hasSize(3);
	}

	@Test
	void retriesAFailedMessageNowInsteadOfAfterTheBackOff() {
		String id = send(new Greeting("dora", 1));
		assertThat(this.harness.awaitFailed("greetings", id).failure()).hasMessage("cannot greet 'dora' yet");
		this.harness.retryNow("greetings", id);
		HandledMessage handled = this.harness.awaitHandled("greetings", id);
		assertThat(handled.message().attempt()).isEqualTo(2);
		assertThat(this.harness.deadLetters("greetings")).noneMatch((letter) -> id.equals(letter.messageId()));
	}

	@Test
	void readsTheDeadLetterOfAMessageThatKeepsFailing() {
		String id = send(new Greeting("mallory", 99));
		this.harness.retryNow("greetings", id);
		DeadLetter letter = this.harness.awaitDeadLetter("greetings", id);
		assertThat(letter.reason()).isEqualTo("failed");
		assertThat(letter.errorMessage()).contains("cannot greet 'mallory' yet");
		assertThat(letter.attempts()).isEqualTo(2);
		assertThat(this.harness.awaitDeadLetters("greetings", 1)).extracting(DeadLetter::messageId).contains(id);
		assertThat(this.harness.handled("greetings")).filteredOn((run) -> run.id().equals(id))
			.extracting(HandledMessage::succeeded)
			.containsExactly(false, false);
	}

	@Test
	void readsTheDeadLetterOfAPayloadTheListenerCannotTake() {
		String id = await(this.disker.send("greetings", List.of(1, 2, 3)));
		DeadLetter letter = this.harness.awaitDeadLetter("greetings", id);
		assertThat(letter.reason()).isEqualTo("conversion");
		assertThat(letter.attempts()).isLessThanOrEqualTo(1);
	}

	private String send(Greeting greeting) {
		return await(this.disker.send("greetings", greeting));
	}

	private static String await(CompletableFuture<String> future) {
		return future.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
	}

}
