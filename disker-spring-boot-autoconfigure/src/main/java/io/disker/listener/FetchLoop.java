package io.disker.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.disker.queue.support.Delivery;
import io.disker.queue.support.LeaseLostException;
import io.disker.queue.support.QueueConsumer;
import io.disker.queue.support.RateLimitedLog;
import io.disker.redis.QueueKeys;
import io.disker.redis.RedisBusyState;
import io.disker.redis.RedisClock;

import org.springframework.core.log.LogAccessor;

/**
 * The fetch thread of one running container: it takes a lease and keeps the buffer filled
 * until the container stops.
 * <p>
 * It takes as many messages as there are free slots ({@code prefetch} minus those held)
 * in one Lua call, tops the buffer up when it falls to half, and blocks (on the
 * consumer's own connection) only when nothing is buffered. It takes a new lease when the
 * lease was lost, puts the buffer back while paused, reconciles orphans after failures
 * and every ten lease times, and backs off while Redis cannot be reached. It takes
 * nothing while more acknowledgements than four times the prefetch (at least 4,096) are
 * still to land, so the processing list stays bounded when acknowledgements fall behind
 * the handlers.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class FetchLoop {

	private static final LogAccessor logger = new LogAccessor(FetchLoop.class);

	/**
	 * The least backlog of acknowledgements (still to land) above which no more messages
	 * are taken: room for several batches of 512.
	 */
	private static final int ACK_BACKLOG_FLOOR = 4096;

	/**
	 * How long a fetch waits for running handlers to free more slots before fetching few.
	 */
	private static final long GATHER_MICROS = 500;

	/** Lease times between periodic reconciliations of the processing list. */
	private static final int RECONCILE_LEASES = 10;

	private final DiskerMessageListenerContainer container;

	private final ContainerOptions options;

	private final ListenerSupport support;

	private final MessageBuffer buffer;

	private final Semaphore slots;

	private final LoopState state;

	private final HandlingPace pace;

	/** The queue, or the shard of it, this loop consumes. */
	private final QueueKeys shard;

	private final RateLimitedLog errors = new RateLimitedLog(logger, Duration.ofSeconds(10));

	private int failures;

	private int busyRetries;

	/** The longest pause while Redis is busy: a failover's busy states last seconds. */
	private static final long MAX_BUSY_PAUSE_MILLIS = 1000;

	private long nextReconcile;

	/** Whether the last fetch found the queue empty, or emptied it. */
	private boolean queueWasEmpty;

	/** Whether the last fetch waited for the queue to fill (it was idle). */
	private boolean lastFetchWaited;

	/** Receives the messages of blocking fetches as they are read. */
	private final BufferArrivals arrivals;

	FetchLoop(DiskerMessageListenerContainer container, QueueKeys shard, ContainerOptions options,
			ListenerSupport support, MessageBuffer buffer, Semaphore slots, LoopState state, HandlingPace pace) {
		this.container = container;
		this.shard = shard;
		this.options = options;
		this.support = support;
		this.buffer = buffer;
		this.slots = slots;
		this.state = state;
		this.pace = pace;
		this.arrivals = new BufferArrivals(container, buffer, slots, state, pace, ackBacklog(options));
	}

	private static int ackBacklog(ContainerOptions options) {
		return Math.max(ACK_BACKLOG_FLOOR, 4 * options.prefetch());
	}

	/**
	 * Fetch until the container stops, taking a new lease whenever needed.
	 */
	void run() {
		while (!this.state.isStopping()) {
			if (connect()) {
				fetchUntilLeaseLost();
			}
		}
	}

	private boolean connect() {
		try {
			QueueConsumer current = this.state.consumer();
			if (current == null) {
				String name = (this.shard.shard() == 0) ? this.container.getId()
						: this.container.getId() + "." + this.shard.shard();
				current = this.support.queues().newConsumer(this.shard, name, this.options.receiveTimeout());
				this.state.setConsumer(current);
			}
			current.start();
			this.state.setConnected(true);
			this.failures = 0;
			this.busyRetries = 0;
			this.state.touch();
			return true;
		}
		catch (RuntimeException ex) {
			failed(ex);
			return false;
		}
	}

	/**
	 * Fetch until stopping or until the lease is lost.
	 */
	private void fetchUntilLeaseLost() {
		QueueConsumer current = this.state.consumer();
		int ackBacklog = ackBacklog(this.options);
		// reconcile at once after every (re)start: a lost reply or lease may have left
		// messages
		this.nextReconcile = 0;
		while (!this.state.isStopping()) {
			if (this.state.isPaused()) {
				awaitResume(current);
				continue;
			}
			if (current.isLeaseLost()) {
				putBackAfterLeaseLost(current);
				return;
			}
			try {
				this.buffer.awaitAtMost(this.pace.lowWater(), receiveTimeoutMillis());
				if (!current.awaitAcknowledgementBacklog(ackBacklog, receiveTimeoutMillis())) {
					// acknowledgements lag (Redis slow or away): take nothing more until
					// they land
					this.state.touch();
					continue;
				}
				int free = acquireSlots();
				if (free > 0) {
					fetchInto(current, free);
				}
				reconcileIfDue(current);
				this.failures = 0;
				this.busyRetries = 0;
				this.state.setConnected(true);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.state.setStopping();
			}
			catch (LeaseLostException ex) {
				// recovery already put the buffered messages back; restart under a new
				// lease
			}
			catch (RuntimeException ex) {
				failed(ex);
				this.nextReconcile = 0;
			}
		}
	}

	private void putBackAfterLeaseLost(QueueConsumer current) {
		// put back what no handler started: recovery may have done it already (then
		// nothing
		// moves), but a lease that vanished (Redis restarted empty) is recovered by
		// nobody
		List<Delivery> unstarted = this.buffer.drain();
		try {
			current.requeue(unstarted);
		}
		catch (RuntimeException ex) {
			// the lists of earlier leases are reconciled once connected again
			current.forget(unstarted);
		}
		this.slots.release(unstarted.size());
	}

	private void fetchInto(QueueConsumer current, int free) throws InterruptedException {
		List<Delivery> batch = List.of();
		// whether the arrivals settled the slots (and buffered the messages) of the fetch
		boolean settled = false;
		try {
			if (this.state.isStopping() || this.state.isPaused() || current.isLeaseLost()) {
				return;
			}
			if (current.mustAwaitIdle()) {
				// a suspect stays alone in the processing list: take nothing until it is
				// settled
				current.awaitIdle(receiveTimeoutMillis());
				this.state.touch();
				return;
			}
			// after a fetch that found nothing, an idle consumer (nothing buffered) waits
			// first: the wait returns at once if messages arrived meanwhile, and idling
			// costs one command per wait. After a wait that brought fewer messages than
			// asked for, traffic is sparse: another fetch before the handlers took them
			// would find nothing and cost a script call per message
			boolean skipFetch = this.queueWasEmpty && (this.buffer.isEmpty() || this.lastFetchWaited);
			batch = skipFetch ? List.of() : current.fetch(free);
			this.lastFetchWaited = false;
			if (batch.isEmpty() && mayBlock(current)) {
				if (!this.buffer.isEmpty()) {
					this.buffer.awaitAtMost(0, receiveTimeoutMillis());
				}
				if (this.buffer.isEmpty() && mayBlock(current)) {
					this.lastFetchWaited = true;
					if (this.container.getFetchInterceptor() == null) {
						// every fetch of it is settled by the arrivals, even one that
						// fails
						settled = true;
						this.queueWasEmpty = current.fetchBlocking(free, this.options.receiveTimeout(), this.arrivals);
						this.state.touch();
						return;
					}
					// an interceptor runs here, on this thread
					batch = current.fetchBlocking(free, this.options.receiveTimeout());
				}
			}
			// fewer messages than asked for: the fetch emptied the queue, so the next one
			// waits first rather than running the script to find nothing
			this.queueWasEmpty = batch.size() < free;
			this.state.touch();
			try {
				batch = intercept(current, batch);
			}
			catch (RuntimeException ex) {
				// nothing of the batch is handled: it goes back, and the failure counts
				// as a
				// fetch failure (back-off, reported once per run of failures)
				putBack(current, batch);
				batch = List.of();
				throw ex;
			}
		}
		finally {
			if (!settled) {
				this.slots.release(free - batch.size());
			}
		}
		this.buffer.addAll(batch);
	}

	/**
	 * Let the container's interceptor see the batch; what it holds back is acknowledged
	 * unhandled (and its slots are released with those of the messages not fetched).
	 * @param current the current
	 * @param batch the batch
	 * @return the deliveries to handle
	 */
	private List<Delivery> intercept(QueueConsumer current, List<Delivery> batch) {
		FetchInterceptor interceptor = this.container.getFetchInterceptor();
		if (interceptor == null || batch.isEmpty()) {
			return batch;
		}
		List<Delivery> kept = interceptor.intercept(batch);
		if (kept.size() == batch.size()) {
			return batch;
		}
		Set<Delivery> handled = Collections.newSetFromMap(new IdentityHashMap<>());
		handled.addAll(kept);
		List<Delivery> result = new ArrayList<>(kept.size());
		for (Delivery delivery : batch) {
			if (handled.contains(delivery)) {
				result.add(delivery);
			}
			else {
				current.acknowledge(delivery);
			}
		}
		return result;
	}

	private void putBack(QueueConsumer current, List<Delivery> batch) {
		try {
			current.requeue(batch);
		}
		catch (RuntimeException ex) {
			// no longer held: the reconciliation puts them back once Redis answers again
			current.forget(batch);
		}
	}

	private boolean mayBlock(QueueConsumer current) {
		return !this.state.isStopping() && !this.state.isPaused() && !current.mustAwaitIdle();
	}

	/**
	 * Take the slots of the messages to fetch next: as many as the handling pace lets the
	 * container hold beyond what it holds already.
	 * @return how many messages to fetch
	 */
	private int acquireSlots() throws InterruptedException {
		if (!this.slots.tryAcquire(receiveTimeoutMillis(), TimeUnit.MILLISECONDS)) {
			this.state.touch();
			return 0;
		}
		int free = 1 + this.slots.drainPermits();
		int worthwhile = this.pace.holdLimit() / 2;
		int wanted = this.pace.fetchable(free);
		if (wanted < worthwhile && this.buffer.isEmpty()) {
			// the other slots belong to running handlers: short ones end within
			// microseconds, and waiting that long turns many one-message round trips into
			// one batch
			if (this.slots.tryAcquire(worthwhile - wanted, GATHER_MICROS, TimeUnit.MICROSECONDS)) {
				free += worthwhile - wanted;
			}
			free += this.slots.drainPermits();
			wanted = this.pace.fetchable(free);
		}
		// the slots beyond the limit stay free
		this.slots.release(free - wanted);
		return wanted;
	}

	private void reconcileIfDue(QueueConsumer current) {
		long now = RedisClock.monotonicMillis();
		if (now >= this.nextReconcile) {
			// a failure reconciles at once; this periodic check only backs that up
			this.nextReconcile = now + RECONCILE_LEASES * this.support.queues().leaseTime().toMillis();
			current.reconcile();
		}
	}

	private void awaitResume(QueueConsumer current) {
		List<Delivery> unstarted = this.buffer.drain();
		try {
			current.requeue(unstarted);
		}
		catch (RuntimeException ex) {
			// no longer held: the reconciliation puts them back once Redis answers again
			current.forget(unstarted);
			logger.warn(ex, () -> "Could not put back " + unstarted.size() + " buffered messages of paused container '"
					+ this.container.getId() + "'; they are put back once Redis answers again");
		}
		this.slots.release(unstarted.size());
		this.state.awaitResume(receiveTimeoutMillis());
	}

	private void failed(RuntimeException ex) {
		this.state.setConnected(false);
		RedisBusyState busy = RedisBusyState.of(ex);
		if (busy != null) {
			// Redis answered: not a broken connection, so it does not count towards
			// max-failures
			this.errors.warn(ex, () -> "Container '" + this.container.getId() + "' waits for Redis on queue '"
					+ this.container.getQueue() + "': " + busy.description() + "; retrying");
			this.busyRetries++;
			this.state.sleep(Math.min(this.support.reconnect().pauseMillis(this.busyRetries), MAX_BUSY_PAUSE_MILLIS));
			return;
		}
		this.failures++;
		if (this.failures == 1) {
			this.container.fetchFailed(ex);
		}
		ReconnectPolicy reconnect = this.support.reconnect();
		if (reconnect.givesUpAfter(this.failures) && !this.state.isStopping()) {
			logger.error(ex, () -> "Container '" + this.container.getId() + "' failed to reach Redis " + this.failures
					+ " times in a row (disker.connection.max-failures); stopping");
			this.state.setStopping();
			this.container.connectionBroken(this.failures);
			return;
		}
		this.errors.warn(ex, () -> "Container '" + this.container.getId() + "' cannot reach Redis for queue '"
				+ this.container.getQueue() + "'; retrying");
		this.state.sleep(reconnect.pauseMillis(this.failures));
	}

	private long receiveTimeoutMillis() {
		return this.options.receiveTimeout().toMillis();
	}

}
