package io.disker.boot.actuate.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.disker.actor.support.ActorSystemStatus;
import io.disker.actor.support.RedisActorSystem;
import io.disker.config.DiskerListenerRegistry;
import io.disker.core.DeadLetter;
import io.disker.core.DiskerConnectionException;
import io.disker.core.InvalidNameException;
import io.disker.listener.DiskerMessageListenerContainer;
import io.disker.monitor.QueueDepth;
import io.disker.monitor.QueueInspector;
import io.disker.queue.DeadLetters;
import io.disker.queue.support.LeaseManager;
import io.disker.queue.support.QueueContext;
import io.disker.redis.QueueKeys;
import io.disker.redis.QueueKind;
import io.disker.redis.RedisClock;
import io.disker.requestreply.RequestTemplate;
import io.disker.timer.TimerListenerRegistry;
import io.disker.timer.TimerNamespaceStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code disker} actuator endpoint.
 * <ul>
 * <li>{@code GET /actuator/disker}: the queues known to this instance by name with their
 * depth per state, the named senders' timeout queues, this instance's listener containers
 * (timer containers included) and leases, pending requests, and the timer namespaces with
 * their scheduled and unconfirmed events and the depth of their fired-event queue, and
 * the actors: this instance's membership, load and actors, its cluster's members and
 * counters.</li>
 * <li>{@code GET /actuator/disker/{queue}}: one queue's depth and its newest dead
 * letters, each with the message as Redis keeps it; 404 for a queue nobody uses.</li>
 * <li>{@code POST /actuator/disker/{queue}} (optional {@code {"count": n}}): replay the
 * oldest {@code n} (or all) dead letters of the queue.</li>
 * <li>{@code DELETE /actuator/disker/{queue}}: purge the queue's dead letters.</li>
 * </ul>
 * Depths are read from Redis on each call (one script per queue).
 *
 * @author Disker team
 * @since 0.1.0
 */
@Endpoint(id = "disker")
public class DiskerEndpoint {

	private static final int DEAD_LETTER_PREVIEW = 20;

	private final QueueContext queues;

	private final QueueInspector inspector;

	private final DeadLetters deadLetters;

	private final DiskerListenerRegistry registry;

	private final @Nullable RequestTemplate template;

	private final @Nullable TimerListenerRegistry timers;

	private @Nullable RedisActorSystem actors;

	public DiskerEndpoint(QueueContext queues, QueueInspector inspector, DeadLetters deadLetters,
			DiskerListenerRegistry registry, @Nullable RequestTemplate template,
			@Nullable TimerListenerRegistry timers) {
		this.queues = queues;
		this.inspector = inspector;
		this.deadLetters = deadLetters;
		this.registry = registry;
		this.template = template;
		this.timers = timers;
	}

	/**
	 * Describe this instance's actors and their cluster too.
	 * @param actors the actor system
	 */
	public void setActorSystem(@Nullable RedisActorSystem actors) {
		this.actors = actors;
	}

	/**
	 * Describe Disker on this application instance.
	 * @return the description
	 */
	@ReadOperation
	public DiskerDescriptor disker() {
		LeaseManager leases = this.queues.leases();
		Map<QueueKeys, CompletableFuture<QueueDepth>> reads = new HashMap<>();
		QueueInspector.byLogicalQueue(leases.getKnownQueues())
			.forEach((queue, shards) -> reads.put(queue, this.inspector.depth(shards)));
		Map<String, QueueDepth> userQueues = new TreeMap<>();
		Map<String, QueueDepth> senders = new TreeMap<>();
		Map<String, QueueDepth> timerQueues = new TreeMap<>();
		reads.forEach((queue, read) -> {
			Map<String, QueueDepth> byKind = switch (queue.kind()) {
				case QUEUE -> userQueues;
				case SENDER -> senders;
				case TIMER -> timerQueues;
			};
			byKind.put(queue.name(), await(read));
		});
		long now = RedisClock.monotonicMillis();
		List<ContainerDescriptor> containers = new ArrayList<>();
		for (DiskerMessageListenerContainer container : this.registry.getListenerContainers()) {
			long last = container.getLastActivity();
			QueueKeys queue = container.getQueueKeys();
			containers.add(new ContainerDescriptor(container.getId(), kindName(queue.kind()), queue.name(),
					container.getState().name().toLowerCase(Locale.ROOT), container.isConnected(),
					(last > 0) ? now - last : -1, container.getOptions().concurrency(),
					container.getOptions().prefetch()));
		}
		List<TimerDescriptor> timerNamespaces = new ArrayList<>();
		if (this.timers != null) {
			for (TimerNamespaceStatus status : this.timers.namespaces()) {
				timerNamespaces.add(new TimerDescriptor(status.namespace(), status.scheduled(), status.unconfirmed(),
						status.joined(), timerQueues.get(status.namespace())));
			}
		}
		return new DiskerDescriptor(this.queues.instanceId(), userQueues, senders, containers,
				leases.getLocalConsumerCount(), (this.template != null) ? this.template.getPendingRequestCount() : 0,
				timerNamespaces, (this.actors != null) ? this.actors.status() : null);
	}

	/**
	 * Describe one queue.
	 * @param queue the queue name
	 * @return its depth and newest dead letters, or {@code null} (404) for a queue that
	 * holds nothing and that no instance of this application uses
	 */
	@ReadOperation
	public @Nullable QueueDescriptor queue(@Selector String queue) {
		List<QueueKeys> shards = shards(queue);
		QueueDepth depth = await(this.inspector.depth(shards));
		if (isEmpty(depth) && shards.stream().noneMatch(this.queues.leases().getKnownQueues()::contains)) {
			return null;
		}
		List<DeadLetterDescriptor> dead = this.deadLetters.list(queue, 0, DEAD_LETTER_PREVIEW)
			.stream()
			.map(DeadLetterDescriptor::of)
			.toList();
		return new QueueDescriptor(queue, depth, dead);
	}

	/**
	 * Replay dead letters of a queue, oldest first.
	 * @param queue the queue name
	 * @param count how many, or {@code null} for all
	 * @return how many were replayed
	 */
	@WriteOperation
	public DeadLetterResult replay(@Selector String queue, @Nullable Long count) {
		shards(queue);
		if (count != null && count <= 0) {
			throw new InvalidEndpointRequestException("'count' must be positive", "'count' must be positive");
		}
		long replayed = (count != null) ? this.deadLetters.replay(queue, count) : this.deadLetters.replayAll(queue);
		return new DeadLetterResult(queue, "replay", replayed);
	}

	/**
	 * Purge the dead letters of a queue.
	 * @param queue the queue name
	 * @return how many were removed
	 */
	@DeleteOperation
	public DeadLetterResult purge(@Selector String queue) {
		shards(queue);
		return new DeadLetterResult(queue, "purge", this.deadLetters.purge(queue));
	}

	private static boolean isEmpty(QueueDepth depth) {
		return depth.ready() == 0 && depth.delayed() == 0 && depth.processing() == 0 && depth.dead() == 0
				&& depth.consumers() == 0;
	}

	private static String kindName(QueueKind kind) {
		return kind.name().toLowerCase(Locale.ROOT);
	}

	private List<QueueKeys> shards(String queue) {
		try {
			return this.queues.keys().queueShards(queue);
		}
		catch (InvalidNameException ex) {
			// answered as 400 Bad Request over HTTP
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage());
		}
	}

	private static QueueDepth await(CompletableFuture<QueueDepth> read) {
		try {
			return read.get(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerConnectionException("Interrupted while reading queue depths", ex);
		}
		catch (Exception ex) {
			throw new DiskerConnectionException("Cannot read queue depths from Redis: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Disker on one application instance.
	 *
	 * @param instance the instance id
	 * @param queues depth per state of every known queue, by name
	 * @param senders depth per state of the timeout-notification queue of every known
	 * named sender, by sender name
	 * @param containers this instance's listener containers
	 * @param leasesHeld consumer leases this instance holds
	 * @param pendingRequests requests waiting for a reply
	 * @param timers the timer namespaces this instance knows
	 * @param actors this instance's actors and their cluster, or {@code null} without an
	 * actor system
	 */
	public record DiskerDescriptor(String instance, Map<String, QueueDepth> queues, Map<String, QueueDepth> senders,
			List<ContainerDescriptor> containers, int leasesHeld, int pendingRequests, List<TimerDescriptor> timers,
			@Nullable ActorSystemStatus actors) {

	}

	/**
	 * A listener container.
	 *
	 * @param id the container id
	 * @param kind what it consumes: {@code queue}, {@code sender} (a named sender's
	 * timeout notifications) or {@code timer} (a timer namespace's fired events)
	 * @param queue the queue, sender or namespace name
	 * @param state running, paused, stopping or stopped
	 * @param connected whether its consumer reaches Redis
	 * @param idleMillis milliseconds since its fetch loop last made progress, -1 if never
	 * @param concurrency its concurrency
	 * @param prefetch its prefetch
	 */
	public record ContainerDescriptor(String id, String kind, String queue, String state, boolean connected,
			long idleMillis, int concurrency, int prefetch) {

	}

	/**
	 * A timer namespace.
	 *
	 * @param namespace the namespace
	 * @param scheduled events waiting for their first delivery
	 * @param unconfirmed fired events with retries left that await confirmation
	 * @param joined whether this instance receives the namespace's events
	 * @param fired the depth of the queue of fired events, if this instance knows it
	 */
	public record TimerDescriptor(String namespace, long scheduled, long unconfirmed, boolean joined,
			@Nullable QueueDepth fired) {

	}

	/**
	 * One queue.
	 *
	 * @param queue the queue name
	 * @param depth its depth per state
	 * @param deadLetters its newest dead letters
	 */
	public record QueueDescriptor(String queue, QueueDepth depth, List<DeadLetterDescriptor> deadLetters) {

	}

	/**
	 * A dead letter.
	 *
	 * @param messageId the message id, if it could be read
	 * @param reason the reason code
	 * @param errorType the exception class
	 * @param errorMessage the exception message
	 * @param attempts the attempts made
	 * @param failedAt when it was dead-lettered
	 * @param message the message as Redis keeps it (its JSON envelope, cut after 64 KiB)
	 */
	public record DeadLetterDescriptor(@Nullable String messageId, String reason, @Nullable String errorType,
			@Nullable String errorMessage, int attempts, Instant failedAt, String message) {

		private static final int MESSAGE_PREVIEW_BYTES = 64 * 1024;

		static DeadLetterDescriptor of(DeadLetter letter) {
			byte[] raw = letter.raw();
			String message = (raw.length <= MESSAGE_PREVIEW_BYTES) ? new String(raw, StandardCharsets.UTF_8)
					: new String(raw, 0, MESSAGE_PREVIEW_BYTES, StandardCharsets.UTF_8) + "... (" + raw.length
							+ " bytes)";
			return new DeadLetterDescriptor(letter.messageId(), letter.reason(), letter.errorType(),
					letter.errorMessage(), letter.attempts(), letter.failedAt(), message);
		}

	}

	/**
	 * The outcome of a dead-letter operation.
	 *
	 * @param queue the queue name
	 * @param operation {@code replay} or {@code purge}
	 * @param count how many entries it affected
	 */
	public record DeadLetterResult(String queue, String operation, long count) {

	}

}
