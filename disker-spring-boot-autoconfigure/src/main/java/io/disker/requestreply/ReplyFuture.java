package io.disker.requestreply;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The future of a request's reply. The reply inbox's reader completes it on its own
 * thread, so that a caller blocked in {@code get()} or {@code join()} wakes at once; the
 * stages that callers attach with the non-async methods ({@code thenApply},
 * {@code whenComplete} and the like) run on Disker's reply executor instead, as their
 * {@code …Async(…, executor)} twins do, so that no callback can hold up the reader, and
 * with it the replies of other requests. The futures those methods return behave the same
 * way.
 *
 * @param <T> the reply type
 * @author Disker team
 * @since 0.1.0
 */
final class ReplyFuture<T> extends CompletableFuture<T> {

	private final Executor executor;

	ReplyFuture(Executor executor) {
		this.executor = executor;
	}

	/**
	 * Run an action on the thread that completes this future (or at once, if it is
	 * complete): for Disker's own bookkeeping, which must not wait for the executor.
	 * @param action the action
	 * @return a future completed after the action, whose own stages again run on the
	 * executor
	 */
	CompletableFuture<T> whenCompleteInline(BiConsumer<? super T, ? super Throwable> action) {
		return super.whenComplete(action);
	}

	@Override
	public CompletionStage<T> minimalCompletionStage() {
		// completed on the executor, so that the stages attached to it run there
		CompletableFuture<T> relay = new CompletableFuture<>();
		whenCompleteAsync((value, ex) -> {
			if (ex != null) {
				relay.completeExceptionally(ex);
			}
			else {
				relay.complete(value);
			}
		}, this.executor);
		return relay.minimalCompletionStage();
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new ReplyFuture<>(this.executor);
	}

	@Override
	public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
		return thenApplyAsync(fn, this.executor);
	}

	@Override
	public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
		return thenAcceptAsync(action, this.executor);
	}

	@Override
	public CompletableFuture<Void> thenRun(Runnable action) {
		return thenRunAsync(action, this.executor);
	}

	@Override
	public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
			BiFunction<? super T, ? super U, ? extends V> fn) {
		return thenCombineAsync(other, fn, this.executor);
	}

	@Override
	public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
			BiConsumer<? super T, ? super U> action) {
		return thenAcceptBothAsync(other, action, this.executor);
	}

	@Override
	public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
		return runAfterBothAsync(other, action, this.executor);
	}

	@Override
	public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
		return applyToEitherAsync(other, fn, this.executor);
	}

	@Override
	public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
		return acceptEitherAsync(other, action, this.executor);
	}

	@Override
	public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
		return runAfterEitherAsync(other, action, this.executor);
	}

	@Override
	public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
		return thenComposeAsync(fn, this.executor);
	}

	@Override
	public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
		return handleAsync(fn, this.executor);
	}

	@Override
	public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
		return whenCompleteAsync(action, this.executor);
	}

	@Override
	public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
		return exceptionallyAsync(fn, this.executor);
	}

	@Override
	public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
		return exceptionallyComposeAsync(fn, this.executor);
	}

}
