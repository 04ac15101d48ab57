package io.disker.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisCommandExecutionException;
import io.netty.util.HashedWheelTimer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link BusyRetry}.
 */
class BusyRetryTests {

	private final HashedWheelTimer timer = new HashedWheelTimer(10, TimeUnit.MILLISECONDS);

	@AfterEach
	void stop() {
		this.timer.stop();
	}

	@Test
	void aBusyReplyIsRetriedUntilRedisRunsTheCommand() throws Exception {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<Long> result = BusyRetry.run(
				() -> (attempts.incrementAndGet() < 3) ? busy("TRYAGAIN Multiple keys request during rehashing of slot")
						: CompletableFuture.completedFuture(7L),
				Duration.ofSeconds(10), this.timer);
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(7L);
		assertThat(attempts).hasValue(3);
	}

	@Test
	void anyOtherFailureIsNotRetried() {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<Long> result = BusyRetry.run(() -> {
			attempts.incrementAndGet();
			return CompletableFuture.failedFuture(new RedisCommandExecutionException("NOPERM no permissions"));
		}, Duration.ofSeconds(10), this.timer);
		assertThat(failureOf(result)).hasMessageStartingWith("NOPERM");
		assertThat(attempts).hasValue(1);
	}

	@Test
	void aStateThatOutlastsTheTimeFailsWithTheLastBusyReply() {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<Long> result = BusyRetry.run(() -> {
			attempts.incrementAndGet();
			return busy("CLUSTERDOWN The cluster is down");
		}, Duration.ofMillis(500), this.timer);
		// the busy reply, not a timeout: no attempt starts unless its pause fits
		assertThat(failureOf(result)).hasMessageStartingWith("CLUSTERDOWN");
		// pauses of 100 and 200 ms fit into 500 ms, 400 more do not
		assertThat(attempts.get()).isBetween(2, 3);
	}

	@Test
	void aRetryThatGetsNoAnswerEndsWhenTheTimeIsUp() {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<Long> result = BusyRetry.run(
				() -> (attempts.incrementAndGet() == 1) ? busy("LOADING Redis is loading") : new CompletableFuture<>(),
				Duration.ofMillis(300), this.timer);
		assertThat(failureOf(result)).isInstanceOf(TimeoutException.class);
		assertThat(attempts.get()).isLessThanOrEqualTo(2);
	}

	@Test
	void aRetryThatCannotBeIssuedFailsTheResult() {
		AtomicInteger attempts = new AtomicInteger();
		CompletableFuture<Long> result = BusyRetry.run(() -> {
			if (attempts.incrementAndGet() == 1) {
				return busy("READONLY You can't write against a read only replica.");
			}
			throw new IllegalStateException("no connection");
		}, Duration.ofSeconds(10), this.timer);
		assertThat(failureOf(result)).isInstanceOf(IllegalStateException.class).hasMessage("no connection");
	}

	private static CompletableFuture<Long> busy(String reply) {
		return CompletableFuture.failedFuture(new RedisCommandExecutionException(reply));
	}

	private static Throwable failureOf(CompletableFuture<Long> result) {
		return assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(10, TimeUnit.SECONDS))
			.actual()
			.getCause();
	}

}
