package io.disker.actor.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.disker.actor.ActorEvent;
import io.disker.actor.ActorRef;
import io.disker.actor.ActorSpec;
import io.disker.actor.ActorSystem;
import io.disker.actor.ActorTypeMismatchException;
import io.disker.actor.NoActorInstanceException;
import io.disker.actor.UnknownActorTypeException;
import io.disker.core.DiskerNames;
import io.disker.core.MessageTooLargeException;
import io.disker.core.support.DiskerExecutors;
import io.disker.core.support.MessageCodec;
import io.disker.observation.LoopStatus;
import io.disker.observation.LoopStatusSource;
import io.disker.redis.DiskerConnections;
import io.disker.redis.RedisClock;
import io.disker.redis.ScriptRunner;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.unit.DataSize;

/**
 * The {@link ActorSystem} on Redis. This instance is a member of one cluster
 * ({@link ActorSettings#cluster()}): it holds a lease there, hosts actors placed on it
 * and reads its inbox; it may call actors of any cluster (replies to it come to a
 * reply-only inbox in theirs).
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class RedisActorSystem implements ActorSystem, SmartLifecycle, LoopStatusSource {

	private static final LogAccessor logger = new LogAccessor(RedisActorSystem.class);

	private static final Duration REPLY_INBOX_EXPIRY = Duration.ofMinutes(5);

	private final DiskerConnections connections;

	private final ScriptRunner scripts;

	private final String prefix;

	private final MessageCodec codec;

	private final ActorTypes types;

	private final ActorSettings settings;

	private final DiskerExecutors executors;

	private final String instanceId;

	private final ActorWire wire;

	private final ActorStats stats = new ActorStats();

	private final Map<String, ActorRedis> clusters = new ConcurrentHashMap<>();

	private final ActorRedis home;

	private final PendingAsks asks;

	private final ActorHost host;

	private final Membership membership;

	private final InboxReader homeReader;

	private final boolean hosting;

	private final ActorCalls calls;

	private @Nullable ApplicationEventPublisher events;

	private @Nullable ExecutorService actorThreads;

	private @Nullable ScheduledExecutorService heartbeats;

	private @Nullable ScheduledExecutorService sweeps;

	private volatile boolean running;

	/**
	 * Create an actor system.
	 * @param connections the Redis connections
	 * @param scripts the script runner
	 * @param prefix the key prefix ({@code disker.namespace})
	 * @param codec the JSON codec of payloads
	 * @param types the actor types this instance knows
	 * @param settings the settings
	 * @param executors the executors of Disker
	 * @param instanceId this instance's id
	 */
	public RedisActorSystem(DiskerConnections connections, ScriptRunner scripts, String prefix, MessageCodec codec,
			ActorTypes types, ActorSettings settings, DiskerExecutors executors, String instanceId) {
		this.connections = connections;
		this.scripts = scripts;
		this.prefix = DiskerNames.validate("namespace", prefix);
		this.codec = codec;
		this.types = types;
		this.settings = settings;
		this.executors = executors;
		this.instanceId = instanceId;
		DiskerNames.validate("actor cluster", settings.cluster());
		this.wire = new ActorWire(codec.getMapper(), settings.maxMessageSize());
		this.home = redis(settings.cluster());
		this.asks = new PendingAsks(codec, executors.scheduler(), executors.replies());
		this.host = new ActorHost(this, this.home, types, this.wire, codec, this.asks, this::runActorWork,
				REPLY_INBOX_EXPIRY, this.stats);
		this.membership = new Membership(this.home, instanceId, settings.leaseTime(), this.host);
		this.host.setMembership(this.membership);
		this.hosting = types.all().stream().anyMatch((type) -> type.cluster().equals(settings.cluster()));
		this.calls = new ActorCalls(this::redis, this.wire, this.asks, connections, executors.containers(), instanceId,
				settings.receiveTimeout(),
				(cluster) -> (this.hosting && cluster.equals(settings.cluster())) ? this.membership.memberId() : null);
		this.homeReader = new InboxReader(connections, () -> this.home.keys().inbox(this.membership.memberId()),
				() -> !this.membership.isFenced(), () -> this.home.keys().processing(this.membership.memberId()),
				this.host::accept, settings.receiveTimeout());
	}

	/**
	 * Publish {@link ActorEvent}s to this publisher.
	 * @param events the publisher
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher events) {
		this.events = events;
	}

	private ActorRedis redis(String cluster) {
		return this.clusters.computeIfAbsent(cluster,
				(name) -> new ActorRedis(this.connections, this.scripts,
						ActorKeys.of(this.prefix, DiskerNames.validate("actor cluster", name)),
						this.settings.commandTimeout(), this.settings.deadLetterCap()));
	}

	private void runActorWork(Runnable work) {
		ExecutorService threads = this.actorThreads;
		if (threads == null) {
			throw new IllegalStateException("The actor system is not running");
		}
		threads.execute(work);
	}

	// ---- lifecycle

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.actorThreads = Executors.newFixedThreadPool(this.settings.concurrency(),
				DiskerExecutors.daemonThreads("disker-actor-"));
		ScheduledExecutorService beat = Executors
			.newSingleThreadScheduledExecutor(DiskerExecutors.daemonThreads("disker-actor-lease-"));
		ScheduledExecutorService sweep = Executors
			.newSingleThreadScheduledExecutor(DiskerExecutors.daemonThreads("disker-actor-sweep-"));
		this.heartbeats = beat;
		this.sweeps = sweep;
		this.running = true;
		if (!this.hosting) {
			// no actor type of this instance lives in its cluster: it only calls actors
			return;
		}
		try {
			this.membership.join();
		}
		catch (RuntimeException ex) {
			logger.warn(ex, () -> "Could not join actor cluster '" + this.settings.cluster() + "' yet; retrying");
		}
		this.homeReader.start(this.executors.containers());
		long beatMillis = this.settings.heartbeatInterval().toMillis();
		beat.scheduleWithFixedDelay(this.membership::heartbeat, beatMillis, beatMillis, TimeUnit.MILLISECONDS);
		long sweepMillis = this.settings.sweepInterval().toMillis();
		sweep.scheduleWithFixedDelay(this::sweep, 0, sweepMillis, TimeUnit.MILLISECONDS);
	}

	/**
	 * Leave the cluster gracefully: stop reading, let running methods finish (messages
	 * not started yet stay in Redis, unacknowledged), end the local actors, and evict
	 * this membership so that recoverable actors are placed on other members with every
	 * message still waiting for them.
	 */
	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.homeReader.stop();
		ExecutorService threads = this.actorThreads;
		this.membership.leave();
		if (threads != null) {
			threads.shutdown();
			try {
				threads.awaitTermination(this.settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		shutdown(this.heartbeats);
		shutdown(this.sweeps);
		this.host.dropAll();
		if (this.hosting) {
			try {
				this.home.sweep(this.membership.memberId());
			}
			catch (RuntimeException ex) {
				logger.warn(ex, () -> "Could not hand this instance's actors over; they move once its lease lapses");
			}
		}
		this.membership.close();
		this.calls.stop();
		this.asks.failAll("The actor system stopped");
	}

	private static void shutdown(@Nullable ScheduledExecutorService scheduler) {
		if (scheduler != null) {
			scheduler.shutdownNow();
			try {
				scheduler.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void sweep() {
		if (!this.running || !this.membership.isValid()) {
			return;
		}
		try {
			this.home.sweep("");
		}
		catch (RuntimeException ex) {
			logger.debug(ex, "Actor sweep failed");
		}
	}

	void sweepSoon() {
		ScheduledExecutorService sweep = this.sweeps;
		if (sweep != null && this.running) {
			try {
				sweep.execute(this::sweep);
			}
			catch (RuntimeException ex) {
				logger.debug(ex, "Could not schedule an actor sweep");
			}
		}
	}

	void publish(LocalActor actor, ActorEvent.Change change) {
		ApplicationEventPublisher publisher = this.events;
		if (publisher != null) {
			publisher.publishEvent(new ActorEvent(actor.id(), actor.type(), actor.actorType().cluster(), change));
		}
	}

	// ---- API

	@Override
	public ActorRef create(String type) {
		return create(type, ActorSpec.dynamic());
	}

	@Override
	public ActorRef create(String type, ActorSpec spec) {
		ActorType actorType = this.types.get(type);
		if (actorType == null) {
			throw new UnknownActorTypeException("Actor type '" + type + "' is not registered on this instance"
					+ " (no @DiskerActor bean with that type)");
		}
		String id = actorType.isStatic() ? type : (spec.getId() != null) ? ActorIds.validateExplicit(spec.getId()) : "";
		byte[] attributes = this.wire.mapper().writeValueAsBytes(spec.getAttributes());
		if (attributes.length > this.settings.maxMessageSize()) {
			throw new MessageTooLargeException("actor attributes", attributes.length,
					DataSize.ofBytes(this.settings.maxMessageSize()));
		}
		ActorRedis redis = redis(actorType.cluster());
		List<Object> result = redis.sync(ActorScript.CREATE, ScriptOutputType.MULTI,
				new String[] { redis.keys().nodes() }, ScriptRunner.arg(redis.keys().base()), ScriptRunner.arg(id),
				ScriptRunner.arg(type), attributes, ScriptRunner.arg(actorType.recoverable() ? 1 : 0),
				ScriptRunner.arg(spec.getLoad()));
		long code = (Long) result.get(0);
		String actorId = text(result.get(1));
		if (code < 0) {
			throw new NoActorInstanceException("No live instance in actor cluster '" + actorType.cluster()
					+ "' can host actor " + actorId + " of type '" + type + "'");
		}
		String existingType = text(result.get(2));
		if (!existingType.equals(type)) {
			throw new ActorTypeMismatchException(
					"Actor " + actorId + " exists with type '" + existingType + "', not '" + type + "'");
		}
		return new DefaultActorRef(this, actorType.cluster(), actorId);
	}

	private static String text(Object value) {
		return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
	}

	@Override
	public Optional<ActorRef> find(String id) {
		ActorIds.validateReference(id);
		for (String cluster : knownClusters()) {
			ActorRedis redis = redis(cluster);
			byte[] type = redis
				.await(this.connections.async().hget(redis.keys().actor(id), "type").toCompletableFuture());
			if (type != null) {
				return Optional.of(new DefaultActorRef(this, cluster, id));
			}
		}
		return Optional.empty();
	}

	private Set<String> knownClusters() {
		Set<String> known = new LinkedHashSet<>();
		known.add(this.settings.cluster());
		known.addAll(this.types.clusters());
		return known;
	}

	@Override
	public ActorRef ref(String cluster, String id) {
		DiskerNames.validate("actor cluster", cluster);
		return new DefaultActorRef(this, cluster, ActorIds.validateReference(id));
	}

	@Override
	public long load() {
		return this.host.actors().values().stream().mapToLong(LocalActor::load).sum();
	}

	@Override
	public Set<String> localActors() {
		return Set.copyOf(this.host.actors().keySet());
	}

	<R> CompletableFuture<R> ask(String cluster, String id, String method, @Nullable Object argument,
			Class<R> resultType, @Nullable Duration timeout) {
		return this.calls.ask(cluster, id, method, argument, resultType,
				(timeout != null) ? timeout : this.settings.askTimeout());
	}

	CompletableFuture<Void> tell(String cluster, String id, String method, @Nullable Object argument) {
		return this.calls.tell(cluster, id, method, argument);
	}

	// ---- monitoring

	/**
	 * Return this instance's member id in its cluster (it changes when a lost lease makes
	 * it join again).
	 * @return the member id
	 */
	public String memberId() {
		return this.membership.memberId();
	}

	/**
	 * Return the cluster this instance is a member of.
	 * @return the cluster
	 */
	public String cluster() {
		return this.settings.cluster();
	}

	/**
	 * Whether this instance holds its lease and serves its actors.
	 * @return whether it serves
	 */
	public boolean isServing() {
		return this.running && (!this.hosting || this.membership.isValid());
	}

	/**
	 * Whether this instance hosts actors (it knows a type of its own cluster).
	 * @return whether it is a member of its cluster
	 */
	public boolean isHosting() {
		return this.hosting;
	}

	/**
	 * Return when the inbox reader last came back from Redis (monotonic ms).
	 * @return the time, for liveness checks
	 */
	public long lastInboxActivity() {
		return this.homeReader.lastActivity();
	}

	/**
	 * Return the counters of this instance.
	 * @return the counters
	 */
	public ActorStats stats() {
		return this.stats;
	}

	/**
	 * Return the asks waiting for a reply.
	 * @return the count
	 */
	public int pendingAsks() {
		return this.asks.size();
	}

	/**
	 * Return the asks that timed out.
	 * @return the count
	 */
	public long askTimeouts() {
		return this.asks.timeouts();
	}

	/**
	 * Return the number of times this instance lost its lease and joined again.
	 * @return the count
	 */
	public int rejoins() {
		return this.membership.rejoins();
	}

	@Override
	public List<LoopStatus> loopStatuses() {
		if (!this.running || !this.hosting) {
			return List.of();
		}
		long now = RedisClock.monotonicMillis();
		Map<String, Object> details = Map.of("cluster", cluster(), "member", memberId());
		String state = this.membership.isFenced() ? "fenced" : "running";
		LoopStatus inbox = LoopStatus.judge("actor-inbox:" + cluster(), "actor-inbox", state, lastInboxActivity(), now,
				LoopStatus.staleAfterMillis(this.settings.receiveTimeout()), details);
		LoopStatus lease = LoopStatus.judge("actor-lease:" + cluster(), "actor-lease", state,
				this.membership.lastRenewal(), now, this.settings.leaseTime().toMillis(), details);
		return List.of(inbox, new LoopStatus(lease.name(), lease.kind(), lease.alive() && this.membership.isValid(),
				lease.state(), lease.idleMillis(), details));
	}

	/**
	 * Describe this instance and its cluster (reads Redis).
	 * @return the status
	 */
	public ActorSystemStatus status() {
		ActorKeys keys = this.home.keys();
		Map<String, Long> members = new TreeMap<>();
		List<ScoredValue<byte[]>> loads = this.home
			.await(this.connections.async().zrangeWithScores(keys.load(), 0, -1).toCompletableFuture());
		for (ScoredValue<byte[]> load : loads) {
			members.put(text(load.getValue()), (long) load.getScore());
		}
		Long actors = this.home.await(this.connections.async().zcard(keys.ids()).toCompletableFuture());
		Long waiting = this.home.await(this.connections.async().zcard(keys.pending()).toCompletableFuture());
		return new ActorSystemStatus(cluster(), memberId(), this.hosting, isServing(), load(),
				new TreeSet<>(localActors()), members, (actors != null) ? actors : 0, (waiting != null) ? waiting : 0,
				pendingAsks(), rejoins(), this.stats.snapshot());
	}

}
