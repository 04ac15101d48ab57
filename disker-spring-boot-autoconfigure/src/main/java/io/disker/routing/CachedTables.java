package io.disker.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.disker.routing.support.ExchangeStore;
import io.disker.routing.support.StoredTable;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The binding tables an instance routes with, each held under a lease. A table is used
 * for at most {@code leaseTime} after the moment its version was last checked against
 * Redis (the moment the check was <em>issued</em>, so the lease never outlives what Redis
 * said). Every change of a table ({@code bind}, {@code unbind}, a changed declaration)
 * returns only after {@link #changeSettleTime()}, longer than any lease that began before
 * the change: a send that starts after a change returned, on any instance, routes with
 * the changed table. In exchange, a send needs no version check in Redis: it is one
 * {@code LPUSH} to one queue, or one script for several.
 * <p>
 * Under load a table is checked again (one {@code GET} of its version) once half of its
 * lease has passed, in the background, so sends rarely wait for a check.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class CachedTables {

	private final ExchangeStore store;

	private final Map<String, Leased> tables = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<BindingTable>> checks = new ConcurrentHashMap<>();

	private volatile long leaseNanos = Duration.ofMillis(100).toNanos();

	CachedTables(ExchangeStore store) {
		this.store = store;
	}

	void setLeaseTime(Duration leaseTime) {
		Assert.isTrue(leaseTime.toMillis() > 0, "'leaseTime' must be positive");
		this.leaseNanos = leaseTime.toNanos();
	}

	/**
	 * Return how long a change waits before it returns: the lease time and a margin for
	 * the clocks of two hosts advancing at slightly different rates.
	 * @return the time to wait after Redis applied a change
	 */
	Duration changeSettleTime() {
		return Duration.ofNanos(this.leaseNanos + this.leaseNanos / 20 + 1_000_000);
	}

	/**
	 * Return the table to route with, reading or checking it in Redis if its lease has
	 * run out.
	 * @param exchange the exchange
	 * @return completes with a table no completed change has made stale
	 */
	CompletableFuture<BindingTable> get(String exchange) {
		Leased leased = this.tables.get(exchange);
		if (leased != null) {
			long age = System.nanoTime() - leased.checkedAt();
			if (age < this.leaseNanos) {
				if (age >= this.leaseNanos / 2) {
					check(exchange, leased);
				}
				return leased.future();
			}
		}
		return check(exchange, leased);
	}

	/**
	 * Return the exchanges this instance routed to.
	 * @return their names
	 */
	Set<String> exchanges() {
		return this.tables.keySet();
	}

	/**
	 * Forget a table (this instance changed it); the next send reads it again.
	 * @param exchange the exchange
	 */
	void forget(String exchange) {
		this.tables.remove(exchange);
	}

	private CompletableFuture<BindingTable> check(String exchange, @Nullable Leased leased) {
		CompletableFuture<BindingTable> running = this.checks.get(exchange);
		if (running != null) {
			return running;
		}
		CompletableFuture<BindingTable> created = new CompletableFuture<>();
		running = this.checks.putIfAbsent(exchange, created);
		if (running != null) {
			return running;
		}
		long issuedAt = System.nanoTime();
		CompletableFuture<BindingTable> read;
		try {
			read = (leased != null) ? this.store.version(exchange)
				.thenCompose((version) -> (version == leased.table().version())
						? CompletableFuture.completedFuture(leased.table()) : read(exchange))
					: read(exchange);
		}
		catch (RuntimeException ex) {
			read = CompletableFuture.failedFuture(ex);
		}
		read.whenComplete((table, ex) -> {
			if (ex == null) {
				this.tables.put(exchange, new Leased(table, issuedAt, CompletableFuture.completedFuture(table)));
			}
			this.checks.remove(exchange, created);
			if (ex != null) {
				created.completeExceptionally(ex);
			}
			else {
				created.complete(table);
			}
		});
		return created;
	}

	private CompletableFuture<BindingTable> read(String exchange) {
		return this.store.read(exchange).thenApply((stored) -> toTable(exchange, stored));
	}

	static BindingTable toTable(String exchange, StoredTable stored) {
		List<Binding> bindings = new ArrayList<>(stored.bindings().size());
		for (String[] binding : stored.bindings()) {
			bindings.add(new Binding(exchange, binding[1], binding[0]));
		}
		return new BindingTable(exchange, stored.version(),
				"direct".equals(stored.type()) ? ExchangeType.DIRECT : ExchangeType.TOPIC, stored.alternateQueue(),
				bindings);
	}

	/**
	 * A table, when its version was last checked, and a completed future of it (so a send
	 * allocates none).
	 */
	private record Leased(BindingTable table, long checkedAt, CompletableFuture<BindingTable> future) {

	}

}
