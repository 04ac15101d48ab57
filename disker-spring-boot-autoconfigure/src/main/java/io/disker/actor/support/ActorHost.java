package io.disker.actor.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.disker.actor.ActorCause;
import io.disker.actor.ActorEvent;
import io.disker.actor.ActorMessageRejectedException;
import io.disker.actor.ActorNotFoundException;
import io.disker.core.support.MalformedMessageException;
import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogAccessor;

/**
 * The member side of the actor protocol: the actors this instance hosts, fed from its
 * inbox, each run one message at a time. Every message is checked against the fence (the
 * local lease) right before it runs; a fenced instance re-sends what it holds to the
 * actor's current home instead of running it.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class ActorHost implements Membership.Listener {

	private static final LogAccessor logger = new LogAccessor(ActorHost.class);

	private final RedisActorSystem system;

	private final ActorRedis redis;

	private final ActorTypes types;

	private final ActorWire wire;

	private final MessageCodec codec;

	private final PendingAsks asks;

	private final Executor threads;

	private final Duration replyInboxExpiry;

	private final ActorStats stats;

	private final Map<String, LocalActor> actors = new ConcurrentHashMap<>();

	/**
	 * The incarnations (fencing tokens) of actors that ended here, by actor id: a message
	 * for one of them is sent on to the actor's next incarnation, even one placed here.
	 */
	private final Map<String, Long> ended = new ConcurrentHashMap<>();

	private @Nullable Membership membership;

	ActorHost(RedisActorSystem system, ActorRedis redis, ActorTypes types, ActorWire wire, MessageCodec codec,
			PendingAsks asks, Executor threads, Duration replyInboxExpiry, ActorStats stats) {
		this.system = system;
		this.redis = redis;
		this.types = types;
		this.wire = wire;
		this.codec = codec;
		this.asks = asks;
		this.threads = threads;
		this.replyInboxExpiry = replyInboxExpiry;
		this.stats = stats;
	}

	void setMembership(Membership membership) {
		this.membership = membership;
	}

	private Membership membership() {
		Membership current = this.membership;
		if (current == null) {
			throw new IllegalStateException("No membership");
		}
		return current;
	}

	RedisActorSystem system() {
		return this.system;
	}

	Map<String, LocalActor> actors() {
		return this.actors;
	}

	/**
	 * Route a batch read from this member's inbox, in order.
	 * @param batch the raw messages
	 * @param processingKey the processing list that keeps them until acknowledged
	 */
	void accept(List<byte[]> batch, @Nullable String processingKey) {
		for (byte[] raw : batch) {
			ActorWire.Inbound message;
			try {
				message = this.wire.decode(raw, processingKey);
			}
			catch (MalformedMessageException ex) {
				this.stats.deadLetters.increment();
				this.redis.deadLetter(this.wire.mapper(), "", ex.getReason().code(), ex.getMessage(), raw);
				if (processingKey != null) {
					this.redis.connections().async().lrem(processingKey, 1, raw);
				}
				continue;
			}
			switch (message.kind()) {
				case ActorWire.REPLY -> this.asks.complete(message.envelope());
				case ActorWire.CREATE -> create(message);
				default -> deliver(message);
			}
		}
	}

	private void create(ActorWire.Inbound message) {
		if (!membership().isValid()) {
			// the eviction of this membership places the actor again
			return;
		}
		ActorWire.Envelope envelope = message.envelope();
		ActorType type = (envelope.t() != null) ? this.types.get(envelope.t()) : null;
		if (type == null) {
			logger.error(() -> "Actor " + message.actorId() + " of type '" + envelope.t()
					+ "' was placed on an instance that does not know the type; destroying it");
			this.redis.update(message.actorId(), membership().memberId(), envelope.token(), "destroy", 0);
			acknowledge(message);
			return;
		}
		ActorCause cause = "RECOVERED".equals(envelope.cause()) ? ActorCause.RECOVERED : ActorCause.CREATED;
		LocalActor actor = new LocalActor(message.actorId(), type, cause, envelope.token(), envelope.load(),
				envelope.p(), this.wire.mapper(), this);
		this.ended.remove(actor.id());
		LocalActor previous = this.actors.put(actor.id(), actor);
		if (previous != null) {
			previous.markEnded();
		}
		actor.enqueue(message, this.threads);
	}

	private void deliver(ActorWire.Inbound message) {
		LocalActor actor = this.actors.get(message.actorId());
		if (actor == null) {
			if (isCurrent(message)) {
				Long token = this.ended.get(message.actorId());
				resend(message, (token != null) ? token : 0);
				acknowledge(message);
			}
			return;
		}
		actor.enqueue(message, this.threads);
	}

	/**
	 * Run one message of an actor; called on an actor thread, one at a time per actor.
	 * @param actor the actor
	 * @param message the message
	 */
	void process(LocalActor actor, ActorWire.Inbound message) {
		if (!isCurrent(message)) {
			// fenced, or taken by an earlier membership: not run, and not acknowledged,
			// so
			// the eviction of that membership hands it to the actor's next incarnation
			return;
		}
		if (message.kind() == ActorWire.CREATE) {
			if (!actor.isEnded()) {
				construct(actor);
			}
		}
		else if (actor.isEnded()) {
			resend(message, actor.token());
		}
		else {
			invoke(actor, message);
			LocalActor.Ending ending = actor.takeEnding();
			if (ending != null) {
				end(actor, ending);
			}
		}
		acknowledge(message);
	}

	/**
	 * Whether this member holds its lease and took the message in its current membership.
	 * @param message the message
	 * @return whether it may run it
	 */
	private boolean isCurrent(ActorWire.Inbound message) {
		Membership current = membership();
		return current.isValid() && this.redis.keys().processing(current.memberId()).equals(message.processingKey());
	}

	private void acknowledge(ActorWire.Inbound message) {
		String processingKey = message.processingKey();
		if (processingKey != null) {
			this.redis.connections().async().lrem(processingKey, -1, message.raw());
		}
	}

	private void construct(LocalActor actor) {
		try {
			actor.setInstance(actor.actorType().factory().apply(actor));
			((actor.cause() == ActorCause.RECOVERED) ? this.stats.recovered : this.stats.created).increment();
			this.system.publish(actor,
					(actor.cause() == ActorCause.RECOVERED) ? ActorEvent.Change.RECOVERED : ActorEvent.Change.CREATED);
		}
		catch (RuntimeException ex) {
			logger.error(ex, () -> "Could not create " + actor + "; it is destroyed");
			end(actor, LocalActor.Ending.DESTROY);
			return;
		}
		LocalActor.Ending ending = actor.takeEnding();
		if (ending != null) {
			end(actor, ending);
		}
	}

	private void invoke(LocalActor actor, ActorWire.Inbound message) {
		ActorWire.Envelope envelope = message.envelope();
		boolean ask = message.kind() == ActorWire.ASK;
		String methodName = (envelope.m() != null) ? envelope.m() : "";
		Method method = actor.actorType().methods().get(methodName);
		if (method == null) {
			reject(actor, message, "no-handler",
					"Actor type '" + actor.type() + "' has no @ActorMethod named '" + methodName + "'");
			return;
		}
		Object[] arguments;
		try {
			arguments = arguments(method, envelope);
		}
		catch (IllegalArgumentException ex) {
			reject(actor, message, "conversion", "Actor " + actor.id() + " method '" + methodName
					+ "' cannot take its argument: " + ex.getMessage());
			return;
		}
		Object result;
		try {
			result = method.invoke(actor.instance(), arguments);
			(ask ? this.stats.asks : this.stats.tells).increment();
		}
		catch (InvocationTargetException ex) {
			Throwable failure = (ex.getTargetException() != null) ? ex.getTargetException() : ex;
			this.stats.failures.increment();
			if (ask) {
				replyFailure(actor, envelope, failure.getClass().getName(), String.valueOf(failure.getMessage()));
			}
			else {
				logger.warn(failure, () -> "Actor " + actor.id() + " method '" + methodName + "' failed on a tell");
			}
			return;
		}
		catch (IllegalAccessException | RuntimeException ex) {
			reject(actor, message, "failed",
					"Actor " + actor.id() + " method '" + methodName + "' could not be invoked: " + ex.getMessage());
			return;
		}
		if (ask) {
			if (result instanceof CompletionStage<?> stage) {
				stage.whenComplete((value, ex) -> {
					if (ex != null) {
						Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
						replyFailure(actor, envelope, cause.getClass().getName(), String.valueOf(cause.getMessage()));
					}
					else {
						replyValue(actor, envelope, value);
					}
				});
			}
			else {
				replyValue(actor, envelope, result);
			}
		}
	}

	private Object[] arguments(Method method, ActorWire.Envelope envelope) {
		if (method.getParameterCount() == 0) {
			return new Object[0];
		}
		Object value = this.codec.convert(envelope.p(),
				this.wire.mapper().constructType(method.getGenericParameterTypes()[0]));
		if (value == null && method.getParameterTypes()[0].isPrimitive()) {
			throw new IllegalArgumentException("a " + method.getParameterTypes()[0] + " is required, got none");
		}
		return new Object[] { value };
	}

	private void reject(LocalActor actor, ActorWire.Inbound message, String reason, String text) {
		this.stats.rejected.increment();
		if (message.kind() == ActorWire.ASK) {
			replyFailure(actor, message.envelope(), ActorMessageRejectedException.class.getName(), text);
		}
		else {
			this.stats.deadLetters.increment();
			this.redis.deadLetter(this.wire.mapper(), actor.id(), reason, text, message.raw());
		}
	}

	private void replyValue(LocalActor actor, ActorWire.Envelope envelope, @Nullable Object value) {
		byte[] reply;
		try {
			reply = this.wire.reply(envelope.c(), value);
		}
		catch (RuntimeException ex) {
			replyFailure(actor, envelope, ex.getClass().getName(), "The reply could not be sent: " + ex.getMessage());
			return;
		}
		sendReply(actor.id(), actor.token(), envelope, reply);
	}

	private void replyFailure(@Nullable LocalActor actor, ActorWire.Envelope envelope, String type, String text) {
		sendReply((actor != null) ? actor.id() : "", (actor != null) ? actor.token() : 0, envelope,
				this.wire.failure(envelope.c(), type, text));
	}

	private void sendReply(String actorId, long token, ActorWire.Envelope envelope, byte[] reply) {
		String caller = envelope.r();
		if (caller == null || envelope.c() == null) {
			return;
		}
		this.redis.reply(membership().memberId(), actorId, token, caller, reply, this.replyInboxExpiry)
			.whenComplete((delivered, ex) -> {
				if (ex != null) {
					logger.warn(ex, () -> "Could not send the reply of actor " + actorId);
				}
				else if (delivered == 0L) {
					this.stats.fencedReplies.increment();
					logger.debug(() -> "Refused the reply of a stale incarnation of actor " + actorId);
				}
			});
	}

	/**
	 * A message for an actor this instance does not run (any more): send it after the
	 * actor; for a destroyed actor an ask fails with {@link ActorNotFoundException} and a
	 * tell becomes a dead letter.
	 * @param message the message
	 * @param token the incarnation of the actor that ended here, or 0 if none is known
	 * (then the message never comes back here)
	 */
	private void resend(ActorWire.Inbound message, long token) {
		// runs only while this member holds its lease (see isCurrent)
		this.redis.send(message.actorId(), message.raw(), membership().memberId(), token).whenComplete((result, ex) -> {
			if (ex == null && (result == 1L || result == 2L)) {
				return;
			}
			String text = "Actor " + message.actorId() + " does not exist";
			if (message.kind() == ActorWire.ASK) {
				replyFailure(null, message.envelope(), ActorNotFoundException.class.getName(), text);
			}
			else {
				this.stats.deadLetters.increment();
				this.redis.deadLetter(this.wire.mapper(), message.actorId(), "actor-not-found", text, message.raw());
			}
		});
	}

	void loadChanged(LocalActor actor, int load) {
		this.redis.update(actor.id(), membership().memberId(), actor.token(), "load", load);
	}

	private void end(LocalActor actor, LocalActor.Ending ending) {
		actor.markEnded();
		if (this.ended.size() > 10_000) {
			this.ended.clear();
		}
		this.ended.put(actor.id(), actor.token());
		String operation = (ending == LocalActor.Ending.RESTART) ? "restart" : "destroy";
		// the incarnation ends here before Redis lets the actor be placed again: its
		// callbacks never overlap the next incarnation's constructor, and DESTROYED is
		// published before that one's RECOVERED
		this.stats.destroyed.increment();
		runDestroyCallbacks(actor);
		this.system.publish(actor, ActorEvent.Change.DESTROYED);
		// applied before the actor leaves the map and before its next message is looked
		// at: a message re-sent after that finds the actor placed again (or gone)
		try {
			Long result = this.redis
				.await(this.redis.update(actor.id(), membership().memberId(), actor.token(), operation, 0));
			if (result != null && result == 2L) {
				this.system.sweepSoon();
			}
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Could not " + operation + " " + actor + " in Redis");
		}
		this.actors.remove(actor.id(), actor);
	}

	private void runDestroyCallbacks(LocalActor actor) {
		Object instance = actor.instance();
		if (instance != null) {
			try {
				actor.actorType().destroyer().accept(instance);
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "The destroy callback of " + actor + " failed");
			}
		}
	}

	/**
	 * Drop every local actor without touching Redis: they belong to a membership that is
	 * evicted (by this instance or another).
	 */
	void dropAll() {
		for (LocalActor actor : this.actors.values()) {
			actor.markEnded();
			this.actors.remove(actor.id(), actor);
			runDestroyCallbacks(actor);
		}
	}

	@Override
	public void leaseLost() {
		this.stats.leasesLost.increment();
		dropAll();
	}

	@Override
	public void rejoined() {
		this.system.sweepSoon();
	}

}
