package io.disker.timer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerException;
import io.disker.core.MessageTooLargeException;
import io.disker.core.OutgoingMessage;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.MessageIds;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.util.Assert;

/**
 * The distributed timer of one namespace: events posted by any node fire once, at or
 * after their due time (Redis clock), on exactly one node that joined the namespace,
 * where its {@link io.disker.annotation.TimerListener @TimerListener} methods receive
 * them. <pre class="code">
 * String id = dTimer.post(new Reminder("call back"), Duration.ofMinutes(5));
 * dTimer.post(TimerPost.of(invoice).id("invoice-42").maxRetries(3).delay(Duration.ofDays(1)));
 * dTimer.changeDelay("invoice-42", Duration.ofHours(1));
 * dTimer.cancel(id);
 * DTimer other = dTimer.namespace("billing");
 * </pre> An event posted with {@code maxRetries > 0} fires again when it is not confirmed
 * within the confirm timeout ({@code disker.timer.confirm-timeout}) after a listener node
 * fetched it, at most {@code maxRetries} times; a listener method confirms it by
 * returning normally. The timeout starts when a listener node fetches the fired event, so
 * an event waiting in the queue (no listener joined, or a backlog) does not fire again
 * meanwhile; and a fired copy whose event was confirmed, cancelled, re-posted or fired
 * again before a node fetched it is dropped unhandled. (A copy without retries left
 * carries no such check: it is handled like an event without retries.)
 * <p>
 * Operations block until Redis answered, at most the operation timeout, and throw
 * {@link DiskerConnectionException} when Redis is unreachable or slow, or
 * {@link DiskerException} with the Redis error. Invalid arguments throw
 * {@link IllegalArgumentException} and write nothing.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DTimer {

	/**
	 * The longest event id, in characters.
	 */
	public static final int MAX_ID_LENGTH = 256;

	/**
	 * The longest delay.
	 */
	public static final Duration MAX_DELAY = OutgoingMessage.MAX_DELAY;

	private static final int POST_BATCH = 256;

	private final String namespace;

	private final TimerStore store;

	private final TimerListenerRegistry registry;

	private final TimerMembership membership;

	DTimer(String namespace, TimerStore store, TimerListenerRegistry registry) {
		this.namespace = namespace;
		this.store = store;
		this.registry = registry;
		this.membership = registry.membership(this, store);
	}

	/**
	 * Return the namespace.
	 * @return the namespace
	 */
	public String getNamespace() {
		return this.namespace;
	}

	/**
	 * Return the timer of another namespace (the same instance for the same name).
	 * @param namespace the namespace, a valid Disker name
	 * @return the timer
	 * @throws io.disker.core.InvalidNameException if the name is invalid
	 */
	public DTimer namespace(String namespace) {
		return this.registry.timer(namespace);
	}

	/**
	 * Post an event with a generated id and no retry.
	 * @param event the event, any value that serializes to JSON other than {@code null}
	 * @param delay the delay; zero or negative for now
	 * @return the event id
	 */
	public String post(Object event, Duration delay) {
		return post(TimerPost.of(event).delay(delay));
	}

	/**
	 * Post an event. An event with the same id is replaced: its data and due time, and,
	 * if it awaits confirmation, its retries start over.
	 * @param post the event and its options
	 * @return the event id
	 */
	public String post(TimerPost<?> post) {
		Prepared prepared = prepare(post);
		call(() -> send(prepared), "Posting timer event '" + prepared.id() + "'");
		return prepared.id();
	}

	/**
	 * Post several events at once (pipelined). Every post is checked first: if one is
	 * invalid, none is written.
	 * @param posts the events and their options
	 * @return the event ids, in the order of the posts
	 */
	public List<String> postAll(Collection<? extends TimerPost<?>> posts) {
		List<Prepared> prepared = new ArrayList<>(posts.size());
		for (TimerPost<?> post : posts) {
			prepared.add(prepare(post));
		}
		call(() -> {
			// a few hundred events per script run: one round trip each, without holding
			// Redis long
			List<CompletableFuture<Long>> sent = new ArrayList<>(prepared.size() / POST_BATCH + 1);
			for (int from = 0; from < prepared.size(); from += POST_BATCH) {
				sent.add(this.store.postAll(prepared.subList(from, Math.min(prepared.size(), from + POST_BATCH))
					.stream()
					.map(Prepared::posted)
					.toList()));
			}
			return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]));
		}, "Posting " + prepared.size() + " timer events");
		return prepared.stream().map(Prepared::id).toList();
	}

	/**
	 * Read a scheduled event.
	 * @param <T> the event type
	 * @param id the event id
	 * @param type the type to convert the event to ({@code JsonNode} for the JSON tree)
	 * @return the event, or empty if it is not scheduled (fired without retries left,
	 * cancelled, confirmed, or unknown)
	 */
	public <T> Optional<ScheduledEvent<T>> peek(String id, Class<T> type) {
		checkId(id);
		TimerStore.Peeked peeked = call(() -> this.store.peek(id), "Peeking timer event '" + id + "'");
		if (peeked == null) {
			return Optional.empty();
		}
		TimerEntry entry = peeked.entry();
		// a fired copy no node fetched yet: its confirm timeout starts when one does
		Duration remaining = (peeked.remainingMillis() < 0) ? this.registry.settings().confirmTimeout()
				: Duration.ofMillis(peeked.remainingMillis());
		return Optional.of(new ScheduledEvent<>(id, convert(entry.json(), type), remaining,
				peeked.awaitingConfirmation() ? TimerState.AWAITING_CONFIRMATION : TimerState.SCHEDULED,
				entry.maxRetries(), entry.numRetries()));
	}

	/**
	 * Cancel an event: before its first delivery, or awaiting confirmation (no retry
	 * follows).
	 * @param id the event id
	 * @return whether the event was scheduled
	 */
	public boolean cancel(String id) {
		checkId(id);
		return call(() -> this.store.cancel(id), "Cancelling timer event '" + id + "'");
	}

	/**
	 * Confirm an event awaiting confirmation, so that it does not fire again. Listener
	 * methods confirm by returning normally.
	 * @param id the event id
	 * @return whether the event was awaiting confirmation
	 */
	public boolean confirm(String id) {
		checkId(id);
		return call(() -> this.store.confirm(id, null), "Confirming timer event '" + id + "'");
	}

	/**
	 * Confirm the event a delivered copy belongs to, unless the event was re-posted
	 * since.
	 * @param id the id
	 * @param token the token
	 * @return whether the event was confirmed
	 */
	boolean confirm(String id, String token) {
		return call(() -> this.store.confirm(id, token), "Confirming timer event '" + id + "'");
	}

	CompletableFuture<Boolean> confirmAsync(String id, String token) {
		return this.store.confirm(id, token);
	}

	/**
	 * Claim fetched copies before they are handled: start their confirm timeout (this
	 * node's {@code disker.timer.confirm-timeout}), or learn which are stale.
	 * @param copies the copies
	 * @return for each copy, whether it was claimed
	 */
	List<Boolean> claim(List<TimerStore.Claim> copies) {
		long timeout = this.registry.settings().confirmTimeout().toMillis();
		return call(() -> this.store.claim(copies, timeout),
				"Claiming " + copies.size() + " fetched events of timer namespace '" + this.namespace + "'");
	}

	/**
	 * Make a scheduled event due after a new delay from now. For an event awaiting
	 * confirmation, this moves its next retry.
	 * @param id the event id
	 * @param delay the new delay; zero or negative for now
	 * @return whether the event was scheduled; an unknown id changes nothing
	 */
	public boolean changeDelay(String id, Duration delay) {
		checkId(id);
		long millis = delayMillis(delay);
		return call(() -> this.store.changeDelay(id, millis), "Changing the delay of timer event '" + id + "'");
	}

	/**
	 * List every event waiting for its first delivery, in due order.
	 * @return the events by id, their data as JSON trees
	 */
	public Map<String, UpcomingEvent<?>> upcoming() {
		return upcoming(null, null, 0);
	}

	/**
	 * List events waiting for their first delivery, in due order (events awaiting
	 * confirmation are not listed). Diagnostic: the cost grows with the number of events
	 * read.
	 * @param offset list events due from now + offset; {@code null} or negative for all,
	 * overdue ones included
	 * @param duration list events due until now + offset + duration; {@code null} or
	 * negative for no end
	 * @param limit the most events; 0 or negative for no limit
	 * @return the events by id, their data as JSON trees
	 */
	public Map<String, UpcomingEvent<?>> upcoming(@Nullable Duration offset, @Nullable Duration duration, int limit) {
		return new LinkedHashMap<>(upcoming(offset, duration, limit, JsonNode.class));
	}

	/**
	 * List events waiting for their first delivery, in due order, converted to a type.
	 * @param <T> the event type
	 * @param offset as for {@link #upcoming(Duration, Duration, int)}
	 * @param duration as for {@link #upcoming(Duration, Duration, int)}
	 * @param limit as for {@link #upcoming(Duration, Duration, int)}
	 * @param type the event type
	 * @return the events by id
	 */
	public <T> Map<String, UpcomingEvent<T>> upcoming(@Nullable Duration offset, @Nullable Duration duration, int limit,
			Class<T> type) {
		long from = (offset != null && !offset.isNegative()) ? boundedMillis(offset) : -1;
		long length = (duration != null && !duration.isNegative()) ? boundedMillis(duration) : -1;
		List<TimerStore.Listed> listed = call(() -> this.store.upcoming(from, length, Math.max(limit, 0)),
				"Listing upcoming timer events");
		Map<String, UpcomingEvent<T>> result = new LinkedHashMap<>();
		for (TimerStore.Listed each : listed) {
			result.put(each.id(), new UpcomingEvent<>(each.id(), convert(each.entry().json(), type),
					Instant.ofEpochMilli(each.dueMillis())));
		}
		return result;
	}

	/**
	 * Start receiving this namespace's due events on this node, and return when the
	 * listener is connected. Nodes with {@code @TimerListener} methods join at startup
	 * unless {@code disker.timer.auto-join} is false.
	 * @throws IllegalStateException if this node has no {@code @TimerListener} method for
	 * the namespace
	 * @throws DiskerConnectionException if the listener could not reach Redis in time
	 */
	public void join() {
		this.membership.join(this.registry.settings().operationTimeout());
	}

	void joinInBackground() {
		this.membership.join(null);
	}

	/**
	 * Stop receiving events on this node. Returns when no event is handled here any more:
	 * events fetched but not started go back to the head of the queue for other nodes,
	 * handlers already running finish. No event reaches this node after this returns.
	 * @throws IllegalStateException if this node has no {@code @TimerListener} method for
	 * the namespace
	 */
	public void leave() {
		this.membership.leave();
	}

	void leave(Runnable callback) {
		this.membership.leave(callback);
	}

	/**
	 * Return whether this node receives the namespace's events.
	 * @return whether it joined
	 */
	public boolean isJoined() {
		return this.membership.isJoined();
	}

	/**
	 * Return the most events this node holds at once per unit of its listeners'
	 * concurrency (with concurrency 1, the most it holds at all).
	 * @return the per-listener batch size
	 */
	public int getMaxEvents() {
		return this.membership.getMaxEvents();
	}

	/**
	 * Set the most events this node holds at once per unit of its listeners' concurrency.
	 * A joined node applies it at once (it re-joins; buffered events go back to the
	 * queue).
	 * @param maxEvents the batch size; 0 or negative restores the configured value
	 * ({@code disker.timer.max-events})
	 */
	public void setMaxEvents(int maxEvents) {
		this.membership.setMaxEvents(maxEvents);
	}

	/**
	 * Count this namespace's events in Redis (O(1)).
	 * @return the counts
	 */
	TimerNamespaceStatus status() {
		List<Long> counts = call(this.store::counts, "Counting the events of timer namespace '" + this.namespace + "'");
		return new TimerNamespaceStatus(this.namespace, counts.get(0), counts.get(1), isJoined());
	}

	TimerMembership membership() {
		return this.membership;
	}

	void publishError(@Nullable String eventId, Throwable error) {
		this.registry.publish(new TimerErrorEvent(this, this.namespace, eventId, error));
	}

	void publishErrorInBackground(@Nullable String eventId, Throwable error) {
		this.registry.publishInBackground(new TimerErrorEvent(this, this.namespace, eventId, error));
	}

	void publishReady() {
		this.registry.publish(new TimerReadyEvent(this, this.namespace));
	}

	private Prepared prepare(TimerPost<?> post) {
		Assert.notNull(post, "Missing required argument 'post'");
		String id = post.id();
		if (id == null) {
			id = MessageIds.next();
		}
		checkId(id);
		long delay = delayMillis(post.delay());
		String json = toJson(post.event(), id);
		return new Prepared(id, new TimerEntry(post.maxRetries(), 0, json), delay);
	}

	private CompletableFuture<Long> send(Prepared prepared) {
		return this.store.postAll(List.of(prepared.posted()));
	}

	private String toJson(@Nullable Object event, String id) {
		if (event == null || (event instanceof JsonNode node && (node.isNull() || node.isMissingNode()))) {
			throw new IllegalArgumentException("'event' must not be null");
		}
		MessageCodec codec = this.registry.codec();
		String json;
		try {
			json = codec.getMapper().writeValueAsString(event);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("'event' cannot be written as JSON: " + ex.getOriginalMessage(), ex);
		}
		if ("null".equals(json)) {
			throw new IllegalArgumentException("'event' must not be written as JSON null");
		}
		// the limit applies to the envelope the event fires in, which listeners check
		// before parsing
		long size = TimerStore.envelopeBytes(this.namespace, id, json.getBytes(StandardCharsets.UTF_8).length);
		if (size > codec.getMaxSize().toBytes()) {
			throw new MessageTooLargeException(this.namespace, size, codec.getMaxSize());
		}
		return json;
	}

	private <T> T convert(String json, Class<T> type) {
		MessageCodec codec = this.registry.codec();
		try {
			T value = codec.convert(codec.getMapper().readTree(json), type);
			Assert.state(value != null, "Timer event is null");
			return value;
		}
		catch (JacksonException ex) {
			throw new DiskerException("Timer event of namespace '" + this.namespace + "' is not valid JSON", ex);
		}
	}

	private static void checkId(@Nullable String id) {
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("'id' must not be empty");
		}
		if (id.length() > MAX_ID_LENGTH) {
			throw new IllegalArgumentException("'id' must be at most " + MAX_ID_LENGTH + " characters long");
		}
	}

	private static long delayMillis(@Nullable Duration delay) {
		if (delay == null) {
			throw new IllegalArgumentException("'delay' must not be null");
		}
		if (delay.compareTo(MAX_DELAY) > 0) {
			throw new IllegalArgumentException("'delay' must not exceed " + MAX_DELAY.toDays() + " days");
		}
		return delay.isNegative() ? 0 : delay.toMillis();
	}

	private static long boundedMillis(Duration duration) {
		return (duration.compareTo(MAX_DELAY) > 0) ? MAX_DELAY.toMillis() : duration.toMillis();
	}

	private void checkReachable() {
		if (!this.registry.isRedisReachable()) {
			throw new DiskerConnectionException("Redis is not reachable (timer namespace '" + this.namespace + "')",
					null);
		}
	}

	private <T> T call(Supplier<CompletableFuture<T>> operation, String what) {
		checkReachable();
		CompletableFuture<T> future = operation.get();
		Duration timeout = this.registry.settings().operationTimeout();
		try {
			return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new DiskerConnectionException(what + " got no answer from Redis within " + timeout.toMillis() + " ms",
					ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RedisConnectionException || cause instanceof RedisCommandTimeoutException) {
				throw new DiskerConnectionException(what + " failed: " + cause.getMessage(), cause);
			}
			throw new DiskerException(what + " failed: " + cause.getMessage(), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new DiskerException(what + " was interrupted", ex);
		}
	}

	@Override
	public String toString() {
		return "DTimer[namespace=" + this.namespace + ", joined=" + isJoined() + "]";
	}

	private record Prepared(String id, TimerEntry entry, long delayMillis) {

		TimerStore.Posted posted() {
			return new TimerStore.Posted(this.id, this.entry, this.delayMillis);
		}

	}

}
