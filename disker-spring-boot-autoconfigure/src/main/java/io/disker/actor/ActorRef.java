package io.disker.actor;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

/**
 * A handle on an actor, wherever it lives. Cheap, immutable and safe to share; messages
 * go through Redis, so the actor may move between instances without the reference
 * changing.
 *
 * @author Disker team
 * @since 0.1.0
 */
public interface ActorRef {

	/**
	 * Return the actor's id.
	 * @return the id
	 */
	String id();

	/**
	 * Return the cluster the actor lives in.
	 * @return the cluster name
	 */
	String cluster();

	/**
	 * Call a method and get its result, within {@code disker.actor.ask-timeout}.
	 * @param <R> the result type
	 * @param method the {@link ActorMethod} name
	 * @param argument the argument (converted to JSON), or {@code null}
	 * @param resultType the type the result is converted to
	 * @return the future result; fails with {@link io.disker.core.DiskerTimeoutException}
	 * when no reply comes in time, {@link io.disker.core.RemoteInvocationException} when
	 * the method threw, {@link ActorNotFoundException} or
	 * {@link ActorMessageRejectedException}
	 */
	<R> CompletableFuture<R> ask(String method, @Nullable Object argument, Class<R> resultType);

	/**
	 * Call a method and get its result within a timeout.
	 * @param <R> the result type
	 * @param method the method name
	 * @param argument the argument, or {@code null}
	 * @param resultType the result type
	 * @param timeout how long to wait for the reply
	 * @return the future result
	 */
	<R> CompletableFuture<R> ask(String method, @Nullable Object argument, Class<R> resultType, Duration timeout);

	/**
	 * Send a one-way message.
	 * @param method the method name
	 * @param argument the argument, or {@code null}
	 * @return a future that completes once Redis holds the message
	 */
	CompletableFuture<Void> tell(String method, @Nullable Object argument);

}
