package io.disker.cluster;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.disker.config.DiskerListenerOptions;
import io.disker.config.DiskerListenerRegistry;
import io.disker.requestreply.RequestTemplate;

import org.springframework.context.ConfigurableApplicationContext;

import static org.awaitility.Awaitility.await;

/**
 * Producers and a consumer on one queue while the master holding it is killed: counts
 * what was confirmed, consumed, lost and duplicated, and how long after the promotion a
 * message sent after it was first consumed.
 */
final class FailoverUnderLoad {

	private static final int PRODUCERS = 2;

	private final ConfigurableApplicationContext app;

	private final String queue;

	private final Set<String> confirmed = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> consumed = new ConcurrentHashMap<>();

	private final AtomicInteger failedSends = new AtomicInteger();

	private final AtomicBoolean producing = new AtomicBoolean(true);

	private final AtomicLong promotedAt = new AtomicLong(Long.MAX_VALUE);

	private final AtomicLong firstAfterPromotion = new AtomicLong(Long.MAX_VALUE);

	private final AtomicInteger sequence = new AtomicInteger();

	FailoverUnderLoad(ConfigurableApplicationContext app, String queue) {
		this.app = app;
		this.queue = queue;
	}

	/**
	 * Run producers and a consumer, call {@code failover} (which kills the master and
	 * returns once the replica is promoted), keep producing until a message sent after
	 * the promotion has been consumed, then wait until every confirmed message is.
	 * @param failover kills the master and awaits the promotion
	 * @param drainTimeout how long to wait for the confirmed messages
	 * @return the figures
	 */
	Result run(Runnable failover, Duration drainTimeout) throws InterruptedException {
		this.app.getBean(DiskerListenerRegistry.class).register(this.queue, (message) -> {
			String payload = (String) message.payload();
			this.consumed.computeIfAbsent(payload, (key) -> new AtomicInteger()).incrementAndGet();
			long sentAt = Long.parseLong(payload.substring(payload.indexOf('@') + 1));
			if (sentAt >= this.promotedAt.get()) {
				this.firstAfterPromotion.accumulateAndGet(System.nanoTime(), Math::min);
			}
			return null;
		}, DiskerListenerOptions.of(String.class));
		RequestTemplate template = this.app.getBean(RequestTemplate.class);
		ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
		try {
			for (int i = 0; i < PRODUCERS; i++) {
				producers.execute(() -> produce(template));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> this.confirmed.size() >= 200 && this.consumed.size() >= 100);
			failover.run();
			this.promotedAt.set(System.nanoTime());
			await().atMost(Duration.ofSeconds(60)).until(() -> this.firstAfterPromotion.get() != Long.MAX_VALUE);
		}
		finally {
			this.producing.set(false);
			producers.shutdown();
			producers.awaitTermination(30, TimeUnit.SECONDS);
		}
		try {
			await().atMost(drainTimeout).until(() -> this.consumed.keySet().containsAll(this.confirmed));
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// reported as lost below
		}
		return result();
	}

	private void produce(RequestTemplate template) {
		while (this.producing.get()) {
			String payload = "m-" + this.sequence.incrementAndGet() + "@" + System.nanoTime();
			try {
				template.send(this.queue, payload).get(30, TimeUnit.SECONDS);
				this.confirmed.add(payload);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Exception ex) {
				// not confirmed: the producer would retry; it must not count as lost
				this.failedSends.incrementAndGet();
			}
		}
	}

	private Result result() {
		Set<String> lost = new HashSet<>(this.confirmed);
		lost.removeAll(this.consumed.keySet());
		int duplicates = this.consumed.values().stream().mapToInt((count) -> count.get() - 1).sum();
		double resume = (this.firstAfterPromotion.get() - this.promotedAt.get()) / 1e9;
		return new Result(this.confirmed.size(), this.consumed.size(), lost.size(), duplicates, this.failedSends.get(),
				resume);
	}

	/**
	 * What a failover under load cost.
	 *
	 * @param confirmed sends that completed
	 * @param consumed distinct messages consumed
	 * @param lost confirmed but never consumed
	 * @param duplicates deliveries beyond the first
	 * @param failedSends sends that failed (not confirmed)
	 * @param resumeSeconds from the promotion to the first consumption of a message sent
	 * after it
	 */
	record Result(int confirmed, int consumed, int lost, int duplicates, int failedSends, double resumeSeconds) {

	}

}
