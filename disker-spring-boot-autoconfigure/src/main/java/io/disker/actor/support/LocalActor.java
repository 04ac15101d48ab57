package io.disker.actor.support;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.disker.actor.ActorCause;
import io.disker.actor.ActorContext;
import io.disker.actor.ActorRef;
import io.disker.actor.ActorSystem;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * One incarnation of an actor on this instance, and its mailbox: messages run one at a
 * time, in arrival order, on the shared actor threads.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class LocalActor implements ActorContext {

	private static final int DRAIN_BATCH = 64;

	private final String id;

	private final ActorType type;

	private final ActorCause cause;

	private final long token;

	private final Map<String, Object> attributes;

	private final JsonMapper mapper;

	private final ActorHost host;

	private final Queue<ActorWire.Inbound> mailbox = new ConcurrentLinkedQueue<>();

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private volatile int load;

	private volatile @Nullable Object instance;

	private volatile @Nullable Ending ending;

	private volatile boolean ended;

	@SuppressWarnings("unchecked")
	LocalActor(String id, ActorType type, ActorCause cause, long token, int load, @Nullable JsonNode attributes,
			JsonMapper mapper, ActorHost host) {
		this.id = id;
		this.type = type;
		this.cause = cause;
		this.token = token;
		this.load = load;
		this.mapper = mapper;
		this.host = host;
		this.attributes = (attributes != null && attributes.isObject())
				? Map.copyOf(mapper.convertValue(attributes, Map.class)) : Map.of();
	}

	void enqueue(ActorWire.Inbound message, Executor threads) {
		this.mailbox.add(message);
		if (this.scheduled.compareAndSet(false, true)) {
			threads.execute(() -> drain(threads));
		}
	}

	private void drain(Executor threads) {
		int handled = 0;
		ActorWire.Inbound message;
		while (handled < DRAIN_BATCH && (message = this.mailbox.poll()) != null) {
			this.host.process(this, message);
			handled++;
		}
		this.scheduled.set(false);
		if (!this.mailbox.isEmpty() && this.scheduled.compareAndSet(false, true)) {
			threads.execute(() -> drain(threads));
		}
	}

	ActorType actorType() {
		return this.type;
	}

	long token() {
		return this.token;
	}

	@Nullable Object instance() {
		return this.instance;
	}

	void setInstance(Object instance) {
		this.instance = instance;
	}

	boolean isEnded() {
		return this.ended;
	}

	void markEnded() {
		this.ended = true;
	}

	@Nullable Ending takeEnding() {
		Ending requested = this.ending;
		this.ending = null;
		return requested;
	}

	@Override
	public String id() {
		return this.id;
	}

	@Override
	public String type() {
		return this.type.name();
	}

	@Override
	public Map<String, Object> attributes() {
		return this.attributes;
	}

	@Override
	public <T> @Nullable T attribute(String name, Class<T> attributeType) {
		Object value = this.attributes.get(name);
		return (value != null) ? this.mapper.convertValue(value, attributeType) : null;
	}

	@Override
	public ActorCause cause() {
		return this.cause;
	}

	@Override
	public int load() {
		return this.load;
	}

	@Override
	public void setLoad(int load) {
		Assert.isTrue(load >= 0, "'load' must not be negative");
		if (this.ended || load == this.load) {
			return;
		}
		this.load = load;
		this.host.loadChanged(this, load);
	}

	@Override
	public void destroy() {
		if (this.ending == null) {
			this.ending = Ending.DESTROY;
		}
	}

	@Override
	public void restart() {
		if (this.ending == null) {
			this.ending = Ending.RESTART;
		}
	}

	@Override
	public ActorRef self() {
		return this.host.system().ref(this.type.cluster(), this.id);
	}

	@Override
	public ActorSystem system() {
		return this.host.system();
	}

	@Override
	public String toString() {
		return "actor " + this.id + " (" + this.type.name() + ", token " + this.token + ")";
	}

	/**
	 * How an actor asked to end.
	 */
	enum Ending {

		/** Removed for good. */
		DESTROY,

		/** Placed again as a new incarnation. */
		RESTART

	}

}
