package io.disker.requestreply;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReplyFuture}: whoever completes it, the stages attached with the
 * non-async methods run on the reply executor.
 */
class ReplyFutureTests {

	private final ExecutorService executor = Executors
		.newSingleThreadExecutor((task) -> new Thread(task, "disker-reply-test"));

	private final List<String> threads = new CopyOnWriteArrayList<>();

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void stagesAttachedWithNonAsyncMethodsRunOnTheExecutor() throws Exception {
		ReplyFuture<String> reply = new ReplyFuture<>(this.executor);
		List<CompletableFuture<?>> stages = List.of(reply.thenApply(recording("thenApply")),
				reply.thenAccept((value) -> record("thenAccept")), reply.thenRun(() -> record("thenRun")),
				reply.handle((value, ex) -> record("handle")),
				reply.whenComplete((value, ex) -> record("whenComplete")),
				reply.thenCompose((value) -> CompletableFuture.completedFuture(record("thenCompose"))),
				reply.thenCombine(CompletableFuture.completedFuture(1), (value, one) -> record("thenCombine")),
				reply.applyToEither(new CompletableFuture<>(), recording("applyToEither")));
		// completed on this thread, as the inbox reader does
		reply.complete("pong");
		CompletableFuture.allOf(stages.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.SECONDS);
		assertThat(this.threads).hasSize(stages.size()).allMatch("disker-reply-test"::equals);
	}

	@Test
	void failuresReachTheirStagesOnTheExecutorToo() throws Exception {
		ReplyFuture<String> reply = new ReplyFuture<>(this.executor);
		CompletableFuture<String> recovered = reply.exceptionally((ex) -> record("exceptionally"));
		reply.completeExceptionally(new IllegalStateException("timed out"));
		assertThat(recovered.get(5, TimeUnit.SECONDS)).isEqualTo("exceptionally");
		assertThat(this.threads).containsExactly("disker-reply-test");
	}

	@Test
	void theStagesOfAStageRunOnTheExecutorAndSoDoThoseOfAMinimalStage() throws Exception {
		ReplyFuture<String> reply = new ReplyFuture<>(this.executor);
		CompletableFuture<String> second = reply.thenApply(Function.identity()).thenApply(recording("second"));
		CompletionStage<String> minimal = reply.minimalCompletionStage().thenApply(recording("minimal"));
		reply.complete("pong");
		second.get(5, TimeUnit.SECONDS);
		minimal.toCompletableFuture().get(5, TimeUnit.SECONDS);
		assertThat(this.threads).containsExactlyInAnyOrder("disker-reply-test", "disker-reply-test");
	}

	@Test
	void aCallerWaitingForTheReplyAndInlineBookkeepingNeedNoExecutor() throws Exception {
		ReplyFuture<String> reply = new ReplyFuture<>((task) -> {
			throw new AssertionError("nothing may run on the executor");
		});
		CompletableFuture<String> bookkeeping = reply.whenCompleteInline((value, ex) -> record("inline"));
		reply.complete("pong");
		assertThat(reply.get()).isEqualTo("pong");
		assertThat(bookkeeping.get()).isEqualTo("pong");
		assertThat(this.threads).containsExactly(Thread.currentThread().getName());
	}

	private <T> Function<T, String> recording(String stage) {
		return (value) -> {
			this.threads.add(Thread.currentThread().getName());
			return stage;
		};
	}

	private String record(String stage) {
		this.threads.add(Thread.currentThread().getName());
		return stage;
	}

}
