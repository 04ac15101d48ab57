package io.disker.actor.support;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.disker.actor.ActorRef;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ActorRef} of a {@link RedisActorSystem}.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class DefaultActorRef implements ActorRef {

	private final RedisActorSystem system;

	private final String cluster;

	private final String id;

	DefaultActorRef(RedisActorSystem system, String cluster, String id) {
		this.system = system;
		this.cluster = cluster;
		this.id = id;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String cluster() {
		return this.cluster;
	}

	@Override
	public <R> CompletableFuture<R> ask(String method, @Nullable Object argument, Class<R> resultType) {
		return this.system.ask(this.cluster, this.id, method, argument, resultType, null);
	}

	@Override
	public <R> CompletableFuture<R> ask(String method, @Nullable Object argument, Class<R> resultType,
			Duration timeout) {
		return this.system.ask(this.cluster, this.id, method, argument, resultType, timeout);
	}

	@Override
	public CompletableFuture<Void> tell(String method, @Nullable Object argument) {
		return this.system.tell(this.cluster, this.id, method, argument);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof DefaultActorRef ref && ref.cluster.equals(this.cluster) && ref.id.equals(this.id);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.cluster, this.id);
	}

	@Override
	public String toString() {
		return "ActorRef[" + this.id + " in " + this.cluster + "]";
	}

}
