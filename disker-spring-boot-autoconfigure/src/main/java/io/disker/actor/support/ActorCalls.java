package io.disker.actor.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.disker.actor.ActorNotFoundException;
import io.disker.core.DiskerConnectionException;
import io.disker.redis.DiskerConnections;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The calling side of an actor system: sends asks and tells to the actor's cluster and
 * routes the replies. A member gets the replies of its own cluster in its inbox; for the
 * other clusters it calls, an instance reads a reply-only inbox there (each reply is
 * written by a script that must check the replying incarnation's token, which lives in
 * the actor's cluster, so the reply inbox has to live there too).
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ActorCalls {

	private static final LogAccessor logger = new LogAccessor(ActorCalls.class);

	private final Function<String, ActorRedis> clusters;

	private final ActorWire wire;

	private final PendingAsks asks;

	private final DiskerConnections connections;

	private final Executor readerThreads;

	private final String instanceId;

	private final Duration receiveTimeout;

	private final Function<String, @Nullable String> memberInbox;

	private final Map<String, InboxReader> replyReaders = new ConcurrentHashMap<>();

	private final AtomicLong correlation = new AtomicLong();

	/**
	 * Create the calling side.
	 * @param clusters the Redis access of each cluster
	 * @param wire the wire format
	 * @param asks the asks waiting for replies
	 * @param connections the connections
	 * @param readerThreads starts the reply-only inbox readers
	 * @param instanceId this instance's id
	 * @param receiveTimeout how long a reply reader blocks
	 * @param memberInbox the member id whose inbox gets the replies in a cluster, or
	 * {@code null} where this instance is no member
	 */
	ActorCalls(Function<String, ActorRedis> clusters, ActorWire wire, PendingAsks asks, DiskerConnections connections,
			Executor readerThreads, String instanceId, Duration receiveTimeout,
			Function<String, @Nullable String> memberInbox) {
		this.clusters = clusters;
		this.wire = wire;
		this.asks = asks;
		this.connections = connections;
		this.readerThreads = readerThreads;
		this.instanceId = instanceId;
		this.receiveTimeout = receiveTimeout;
		this.memberInbox = memberInbox;
	}

	<R> CompletableFuture<R> ask(String cluster, String id, String method, @Nullable Object argument,
			Class<R> resultType, Duration timeout) {
		ActorRedis redis = this.clusters.apply(cluster);
		String correlationId = this.instanceId + ":" + this.correlation.incrementAndGet();
		byte[] message;
		try {
			message = this.wire.ask(id, method, correlationId, replyInbox(cluster), argument);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		CompletableFuture<R> reply = this.asks.register(correlationId, id, this.wire.mapper().constructType(resultType),
				timeout);
		redis.send(id, message).whenComplete((result, ex) -> {
			if (ex != null) {
				this.asks.fail(correlationId, new DiskerConnectionException("Could not send to actor " + id, ex));
			}
			else if (result == 0L) {
				this.asks.fail(correlationId, notFound(cluster, id));
			}
		});
		return reply;
	}

	CompletableFuture<Void> tell(String cluster, String id, String method, @Nullable Object argument) {
		byte[] message;
		try {
			message = this.wire.tell(id, method, argument);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.clusters.apply(cluster).send(id, message).thenApply((result) -> {
			if (result == 0L) {
				throw notFound(cluster, id);
			}
			return null;
		});
	}

	private static ActorNotFoundException notFound(String cluster, String id) {
		return new ActorNotFoundException("Actor " + id + " does not exist in cluster '" + cluster + "'");
	}

	private String replyInbox(String cluster) {
		String member = this.memberInbox.apply(cluster);
		if (member != null) {
			return member;
		}
		this.replyReaders.computeIfAbsent(cluster, (name) -> {
			ActorRedis redis = this.clusters.apply(name);
			InboxReader reader = new InboxReader(this.connections, () -> redis.keys().inbox(this.instanceId),
					() -> true, null, this::acceptReplies, this.receiveTimeout);
			reader.start(this.readerThreads);
			return reader;
		});
		return this.instanceId;
	}

	private void acceptReplies(List<byte[]> batch, @Nullable String processingKey) {
		for (byte[] raw : batch) {
			try {
				ActorWire.Inbound message = this.wire.decode(raw);
				if (message.kind() == ActorWire.REPLY) {
					this.asks.complete(message.envelope());
				}
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Dropped an unreadable actor reply");
			}
		}
	}

	void stop() {
		this.replyReaders.values().forEach(InboxReader::stop);
		this.replyReaders.clear();
	}

}
