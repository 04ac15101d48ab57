package io.disker.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerMessage;
import io.disker.core.DiskerNames;
import io.disker.core.OutgoingMessage;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.MessageIds;
import io.disker.redis.QueueKeys;
import io.disker.routing.support.ExchangeStore;
import io.disker.routing.support.RoutingKeys;
import io.netty.util.Timeout;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * Exchanges, routing keys and bindings on Redis. A message sent to an exchange with a
 * routing key is delivered to every queue bound with a matching key, in one atomic step
 * (all bound queues get it, or none); a message no binding matches fails its future with
 * {@link UnroutableMessageException}, or goes to the exchange's alternate queue if it has
 * one. <pre class="code">
 * routing.bind(new Binding("images", "image.*.resize", "thumbnails")).join();
 * routing.send("images", "image.png.resize",
 *     DiskerMessage.to("images").task("resize").args("a.png", 640, 480).build());
 * </pre>
 * <p>
 * Bindings live in Redis, so every instance and producer routes with the same table. Each
 * instance keeps a copy of the tables it routes with, under a lease: it checks a copy's
 * version again after {@link #setTableLeaseTime(Duration) the lease time}, and a change
 * ({@code bind}, {@code unbind}, a changed declaration) returns only once every lease on
 * the old table has run out. So a send that starts after a change returned, on any
 * instance, routes with the changed table, and a send costs what a plain send does: one
 * {@code LPUSH}, or one script for several queues.
 * <p>
 * Exchanges and bindings added before {@link #start()} (from configuration and
 * {@code @DiskerListener(bindings = ...)}) are declared when the application starts;
 * sends wait for them. On Redis Cluster the fan-out is not atomic but complete: every
 * bound queue receives the message at least once (see
 * {@link io.disker.routing.support.FanOutOutbox}).
 *
 * @author Disker team
 * @since 0.1.0
 */
public class DiskerRouting implements SmartLifecycle {

	/**
	 * The lifecycle phase: before the request template and the listener containers.
	 */
	public static final int PHASE = Integer.MAX_VALUE - 300;

	/**
	 * How often each instance completes unfinished fan-outs on Redis Cluster.
	 */
	public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

	private static final LogAccessor logger = new LogAccessor(DiskerRouting.class);

	private final ExchangeStore store;

	private final MessageCodec codec;

	private final CachedTables tables;

	private final Map<String, Exchange> declaredExchanges = new ConcurrentHashMap<>();

	private final Map<String, String> defaultRoutingKeys = new ConcurrentHashMap<>();

	private final List<Binding> declaredBindings = new CopyOnWriteArrayList<>();

	/**
	 * The exchanges this instance declared or bound queues to: it sweeps their outboxes.
	 */
	private final Set<String> boundExchanges = ConcurrentHashMap.newKeySet();

	private volatile CompletableFuture<Void> declared = CompletableFuture.completedFuture(null);

	private volatile Duration sendTimeout = Duration.ofSeconds(5);

	private volatile boolean running;

	private volatile @Nullable ScheduledFuture<?> sweeper;

	/**
	 * Create the routing API.
	 * @param store the binding tables in Redis
	 * @param codec the message codec
	 */
	public DiskerRouting(ExchangeStore store, MessageCodec codec) {
		this.store = store;
		this.codec = codec;
		this.tables = new CachedTables(store);
	}

	/**
	 * Set how long an instance routes with a binding table before it checks the table's
	 * version in Redis again. A change of the bindings ({@code bind}, {@code unbind}, a
	 * changed exchange declaration) returns only once this time has passed, so a send
	 * started after it returned routes with the new table on every instance. Shorter
	 * means quicker changes and more version checks (one {@code GET} per exchange and
	 * half lease time under load).
	 * @param leaseTime the lease time of a cached table
	 */
	public void setTableLeaseTime(Duration leaseTime) {
		this.tables.setLeaseTime(leaseTime);
	}

	/**
	 * Set how long a send or a declaration waits for Redis before failing.
	 * @param sendTimeout the timeout
	 */
	public void setSendTimeout(Duration sendTimeout) {
		Assert.isTrue(sendTimeout.toMillis() > 0, "'sendTimeout' must be positive");
		this.sendTimeout = sendTimeout;
	}

	/**
	 * Add an exchange to declare when the application starts (or at once if it runs).
	 * @param exchange the exchange
	 */
	public void addExchange(Exchange exchange) {
		this.declaredExchanges.put(exchange.name(), exchange);
		if (this.running) {
			declareExchange(exchange).join();
		}
	}

	/**
	 * Add a binding to declare when the application starts (or at once if it runs).
	 * @param binding the binding
	 */
	public void addBinding(Binding binding) {
		checkDirect(binding);
		this.declaredBindings.add(binding);
		if (this.running) {
			bind(binding).join();
		}
	}

	/**
	 * Set the routing key of {@link #send(String, OutgoingMessage)} for an exchange.
	 * @param exchange the exchange
	 * @param routingKey its default routing key
	 */
	public void setDefaultRoutingKey(String exchange, String routingKey) {
		DiskerNames.validate("exchange", exchange);
		this.defaultRoutingKeys.put(exchange, RoutingKeys.validateKey(routingKey));
	}

	/**
	 * Return the exchanges declared by this application (configuration and API).
	 * @return the exchanges by name
	 */
	public Map<String, Exchange> getDeclaredExchanges() {
		return Map.copyOf(this.declaredExchanges);
	}

	/**
	 * Declare an exchange in Redis: its type and alternate queue.
	 * @param exchange the exchange
	 * @return completes once Redis holds it; fails with {@link IllegalStateException} if
	 * the exchange exists with another type
	 */
	public CompletableFuture<Void> declareExchange(Exchange exchange) {
		Assert.notNull(exchange, "'exchange' must not be null");
		this.declaredExchanges.put(exchange.name(), exchange);
		return timed("Declaring exchange '" + exchange.name() + "'",
				this.store.declare(exchange.name(), code(exchange.type()), exchange.alternateQueue()))
			.whenComplete((changed, ex) -> this.tables.forget(exchange.name()))
			.thenCompose(this::settled)
			.thenApply((changed) -> null);
	}

	/**
	 * Bind a queue to an exchange; every instance routes with it from its next send.
	 * @param binding the binding
	 * @return completes with {@code true} if the binding is new, {@code false} if it
	 * existed
	 */
	public CompletableFuture<Boolean> bind(Binding binding) {
		Assert.notNull(binding, "'binding' must not be null");
		checkDirect(binding);
		this.boundExchanges.add(binding.exchange());
		return timed("Binding " + binding,
				this.store.bind(binding.exchange(), binding.key(), binding.queue(), true,
						code(typeOf(binding.exchange()))))
			.whenComplete((changed, ex) -> this.tables.forget(binding.exchange()))
			.thenCompose(this::settled);
	}

	/**
	 * Remove a binding.
	 * @param binding the binding
	 * @return completes with {@code true} if it existed
	 */
	public CompletableFuture<Boolean> unbind(Binding binding) {
		Assert.notNull(binding, "'binding' must not be null");
		this.declaredBindings.remove(binding);
		return timed("Unbinding " + binding,
				this.store.bind(binding.exchange(), binding.key(), binding.queue(), false,
						code(typeOf(binding.exchange()))))
			.whenComplete((changed, ex) -> this.tables.forget(binding.exchange()))
			.thenCompose(this::settled);
	}

	/**
	 * Complete once every lease on a table that a change made stale has run out, so that
	 * no instance routes with it any more.
	 * @param changed whether the table changed
	 * @return completes with {@code changed}
	 */
	private CompletableFuture<Boolean> settled(Boolean changed) {
		if (!changed) {
			return CompletableFuture.completedFuture(false);
		}
		CompletableFuture<Boolean> settled = new CompletableFuture<>();
		long nanos = this.tables.changeSettleTime().toNanos();
		try {
			this.store.queues()
				.connections()
				.timer()
				.newTimeout((expired) -> settled.complete(true), nanos, TimeUnit.NANOSECONDS);
		}
		catch (IllegalStateException ex) {
			CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS).execute(() -> settled.complete(true));
		}
		return settled;
	}

	/**
	 * Read the bindings of an exchange from Redis.
	 * @param exchange the exchange
	 * @return completes with its bindings
	 */
	public CompletableFuture<List<Binding>> getBindings(String exchange) {
		return timed("Reading exchange '" + exchange + "'", this.store.read(exchange))
			.thenApply((stored) -> CachedTables.toTable(exchange, stored).bindings());
	}

	/**
	 * Send a payload to an exchange.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param payload the payload
	 * @return completes with the message id once every target queue holds the message;
	 * fails with {@link UnroutableMessageException} if no binding matches and the
	 * exchange has no alternate queue
	 */
	public CompletableFuture<String> send(String exchange, String routingKey, @Nullable Object payload) {
		return send(exchange, routingKey, DiskerMessage.to(exchange).payload(payload).build());
	}

	/**
	 * Send a message to an exchange with the exchange's default routing key.
	 * @param exchange the exchange
	 * @param message the message, built with {@code DiskerMessage.to(exchange)}
	 * @return completes with the message id once every target queue holds the message
	 * @throws IllegalStateException if the exchange has no default routing key
	 */
	public CompletableFuture<String> send(String exchange, OutgoingMessage<?> message) {
		String routingKey = this.defaultRoutingKeys.get(exchange);
		Assert.state(routingKey != null, () -> "Exchange '" + exchange
				+ "' has no default routing key (disker.routing.exchanges." + exchange + ".default-routing-key)");
		return send(exchange, routingKey, message);
	}

	/**
	 * Send a message to an exchange. Build it with {@code DiskerMessage.to(exchange)}:
	 * the exchange is its address, and each target queue receives a copy with the same
	 * id. A delay, a delivery time, an explicit id and a named sender's timeout are not
	 * supported for routed messages.
	 * @param exchange the exchange
	 * @param routingKey the routing key
	 * @param message the message
	 * @return completes with the message id once every target queue holds the message;
	 * fails with {@link UnroutableMessageException} if no binding matches and the
	 * exchange has no alternate queue, with {@link DiskerConnectionException} if Redis
	 * does not answer within the send timeout
	 */
	public CompletableFuture<String> send(String exchange, String routingKey, OutgoingMessage<?> message) {
		DiskerNames.validate("exchange", exchange);
		RoutingKeys.validateKey(routingKey);
		Assert.notNull(message, "'message' must not be null");
		Assert.isTrue(message.queue().equals(exchange), () -> "The message is addressed to '" + message.queue()
				+ "', not to exchange '" + exchange + "': build it with DiskerMessage.to(\"" + exchange + "\")");
		Assert.isTrue(message.delay() == null && message.deliverAt() == null,
				"A routed message cannot be delayed (send it to its queue instead)");
		Assert.isTrue(message.id() == null, "A routed message cannot have an explicit id");
		Assert.isTrue(message.sender() == null || message.timeout() == null,
				"A routed message cannot await a named sender's reply (it may reach several queues)");
		if (!this.store.queues().connections().isReachable()) {
			return CompletableFuture.failedFuture(new DiskerConnectionException(
					"Cannot send to exchange '" + exchange + "': the Redis connection is down", null));
		}
		Instant createdAt;
		try {
			createdAt = this.store.queues().clock().now();
		}
		catch (DiskerConnectionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		String id = MessageIds.next();
		CompletableFuture<Void> ready = ready();
		CompletableFuture<String> routed = (ready.isDone() && !ready.isCompletedExceptionally())
				? route(exchange, routingKey, message, id, createdAt)
				: ready.thenCompose((ignored) -> route(exchange, routingKey, message, id, createdAt));
		return timed("Sending to exchange '" + exchange + "'", routed);
	}

	private CompletableFuture<String> route(String exchange, String routingKey, OutgoingMessage<?> message, String id,
			Instant createdAt) {
		return this.tables.get(exchange).thenCompose((table) -> route(table, routingKey, message, id, createdAt));
	}

	private CompletableFuture<String> route(BindingTable table, String routingKey, OutgoingMessage<?> message,
			String id, Instant createdAt) {
		String exchange = table.exchange();
		List<String> targets = table.route(routingKey);
		if (targets.isEmpty()) {
			return CompletableFuture.failedFuture(new UnroutableMessageException(exchange, routingKey));
		}
		List<QueueKeys> keys = new ArrayList<>(targets.size());
		List<byte[]> envelopes = new ArrayList<>(targets.size());
		for (String target : targets) {
			keys.add(this.store.queues().keys().queue(target));
			envelopes.add(this.codec.encode(envelope(message, id, target, createdAt)));
		}
		return this.store.deliver(exchange, id, keys, envelopes).thenApply((written) -> {
			if (table.alternateQueue() != null && logger.isDebugEnabled() && table.isUnbound(routingKey)) {
				logger.debug(() -> "Message " + id + " to exchange '" + exchange + "' with routing key '" + routingKey
						+ "' matched no binding; sent to the alternate queue '" + targets.get(0) + "'");
			}
			for (QueueKeys target : keys) {
				this.store.queues().leases().registerQueue(target);
				this.store.queues().metrics().sent(target.name());
			}
			return id;
		});
	}

	private static DiskerMessage<?> envelope(OutgoingMessage<?> message, String id, String queue, Instant createdAt) {
		Duration timeout = message.timeout();
		return DiskerMessage.envelope(id, queue)
			.task(message.task())
			.sender(message.sender())
			.payload(message.payload())
			.headers(message.headers())
			.createdAt(createdAt)
			.deadline((timeout != null) ? createdAt.plus(timeout) : null)
			.timeout(timeout)
			.build();
	}

	private static String code(ExchangeType type) {
		return type.name().toLowerCase(Locale.ROOT);
	}

	private ExchangeType typeOf(String exchange) {
		Exchange declaredExchange = this.declaredExchanges.get(exchange);
		return (declaredExchange != null) ? declaredExchange.type() : ExchangeType.TOPIC;
	}

	private void checkDirect(Binding binding) {
		Assert.isTrue(typeOf(binding.exchange()) != ExchangeType.DIRECT || !RoutingKeys.hasWildcards(binding.key()),
				() -> "Exchange '" + binding.exchange() + "' is direct: its binding key '" + binding.key()
						+ "' cannot have '*' or '#' words");
	}

	/**
	 * Wait for the declarations of the application start; declare again if they failed
	 * (Redis was away at startup).
	 * @return completes once the declarations are in Redis
	 */
	private CompletableFuture<Void> ready() {
		CompletableFuture<Void> current = this.declared;
		if (current.isCompletedExceptionally()) {
			synchronized (this) {
				if (this.declared == current) {
					this.declared = declareAll();
				}
				current = this.declared;
			}
		}
		return current;
	}

	private CompletableFuture<Void> declareAll() {
		List<CompletableFuture<?>> exchanges = new ArrayList<>();
		for (Exchange exchange : this.declaredExchanges.values()) {
			exchanges.add(declareExchange(exchange));
		}
		return CompletableFuture.allOf(exchanges.toArray(CompletableFuture<?>[]::new)).thenCompose((done) -> {
			List<CompletableFuture<?>> bindings = new ArrayList<>();
			for (Binding binding : this.declaredBindings) {
				bindings.add(bind(binding));
			}
			return CompletableFuture.allOf(bindings.toArray(CompletableFuture<?>[]::new));
		});
	}

	private <T> CompletableFuture<T> timed(String what, CompletableFuture<T> operation) {
		return withTimeout(operation).handle((result, ex) -> {
			if (ex == null) {
				return result;
			}
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof TimeoutException) {
				throw new DiskerConnectionException(
						what + " got no answer from Redis within " + this.sendTimeout.toMillis() + " ms", cause);
			}
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new DiskerConnectionException(what + " failed: " + cause.getMessage(), cause);
		});
	}

	private <T> CompletableFuture<T> withTimeout(CompletableFuture<T> future) {
		if (future.isDone()) {
			return future;
		}
		// Lettuce's wheel timer arms and cancels in O(1), where orTimeout keeps a task
		// per send in a heap
		Timeout timeout;
		try {
			timeout = this.store.queues()
				.connections()
				.timer()
				.newTimeout((expired) -> future.completeExceptionally(new TimeoutException()),
						this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (IllegalStateException ex) {
			return future.orTimeout(this.sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		return future.whenComplete((result, ex) -> timeout.cancel());
	}

	/**
	 * Complete the fan-outs that a sender left unfinished (Redis Cluster only: there a
	 * message for several queues is written queue by queue). Runs every
	 * {@link #SWEEP_INTERVAL} on every instance, for the exchanges it declared or routed
	 * to.
	 * @param olderThan how old an unfinished fan-out must be (younger ones may belong to
	 * sends in progress)
	 * @return completes with the number of fan-outs completed
	 */
	public CompletableFuture<Integer> completeUnfinishedFanOuts(Duration olderThan) {
		Set<String> exchanges = new HashSet<>(this.declaredExchanges.keySet());
		exchanges.addAll(this.boundExchanges);
		exchanges.addAll(this.tables.exchanges());
		List<CompletableFuture<Integer>> sweeps = new ArrayList<>();
		for (String exchange : exchanges) {
			sweeps.add(this.store.completeUnfinished(exchange, olderThan));
		}
		return CompletableFuture.allOf(sweeps.toArray(CompletableFuture<?>[]::new))
			.thenApply((done) -> sweeps.stream().mapToInt(CompletableFuture::join).sum());
	}

	private void sweep() {
		if (this.store.isAtomicFanOut() || !this.store.queues().connections().isReachable()) {
			return;
		}
		// a send older than twice its timeout has failed or completed
		completeUnfinishedFanOuts(this.sendTimeout.multipliedBy(2)).whenComplete((completed, ex) -> {
			if (ex != null) {
				logger.debug(ex, "Completing unfinished fan-outs failed; the next sweep tries again");
			}
			else if (completed > 0) {
				logger.warn(() -> "Completed " + completed + " fan-out(s) that a sender left unfinished");
			}
		});
	}

	@Override
	public void start() {
		this.sweeper = this.store.queues()
			.scheduler()
			.scheduleWithFixedDelay(this::sweep, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
					TimeUnit.MILLISECONDS);
		this.declared = declareAll();
		this.declared.whenComplete((done, ex) -> {
			if (ex != null) {
				logger.warn(ex, "Could not declare the exchanges and bindings at startup; the next send to an "
						+ "exchange declares them again");
			}
		});
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		ScheduledFuture<?> sweeping = this.sweeper;
		if (sweeping != null) {
			sweeping.cancel(false);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
