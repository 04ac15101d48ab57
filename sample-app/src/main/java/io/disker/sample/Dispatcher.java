package io.disker.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.core.DeadLetter;
import io.disker.core.DiskerException;
import io.disker.core.DiskerOperations;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.RemoteInvocationException;
import io.disker.queue.DeadLetters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * Every two seconds sends a few orders to the {@code orders} queue (fire-and-forget) and
 * asks the {@code quotes} queue for one quote (request/reply). The quoted symbols cycle
 * through answered requests, a request the listener fails on and one it answers too late,
 * so each outcome shows up in the log. Switched off with
 * {@code sample.dispatcher.enabled=false}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.dispatcher.enabled", matchIfMissing = true)
public class Dispatcher {

	private static final Logger logger = LoggerFactory.getLogger(Dispatcher.class);

	private static final int ORDERS_PER_TICK = 3;

	private static final List<String> ITEMS = List.of("keyboard", "monitor", "mouse", "laptop", "headset");

	/**
	 * ACME, GLOBEX and INITECH are answered, BOGUS makes the listener throw, SLOW answers
	 * too late.
	 */
	private static final List<String> SYMBOLS = List.of("ACME", "GLOBEX", "BOGUS", "INITECH", "SLOW");

	private static final Duration QUOTE_TIMEOUT = Duration.ofSeconds(2);

	private final DiskerOperations disker;

	private final DeadLetters deadLetters;

	private final AtomicInteger ticks = new AtomicInteger();

	private final AtomicInteger orders = new AtomicInteger();

	private volatile boolean stopping;

	public Dispatcher(DiskerOperations disker, DeadLetters deadLetters) {
		this.disker = disker;
		this.deadLetters = deadLetters;
	}

	@Scheduled(initialDelay = 1, fixedDelay = 2, timeUnit = TimeUnit.SECONDS)
	void tick() {
		int tick = this.ticks.getAndIncrement();
		for (int i = 0; i < ORDERS_PER_TICK; i++) {
			int number = this.orders.incrementAndGet();
			sendOrder(new Order(number, ITEMS.get(number % ITEMS.size()), 1 + number % 3));
		}
		askForQuote(SYMBOLS.get(tick % SYMBOLS.size()));
		if (tick % SYMBOLS.size() == SYMBOLS.size() - 1) {
			try {
				reportDeadLetters("orders");
				reportDeadLetters("quotes");
			}
			catch (DiskerException ex) {
				logger.warn("[dispatcher] could not read the dead-letter lists: {}", ex.getMessage());
			}
		}
	}

	@EventListener(ContextClosedEvent.class)
	void stopping() {
		this.stopping = true;
		logger.info("[dispatcher] shutting down: no new messages; the workers finish what they hold "
				+ "(disker.listener.shutdown-timeout), anything unfinished stays in Redis for the next start");
	}

	private void sendOrder(Order order) {
		// completes once Redis holds the message; a worker takes it from there
		this.disker.send("orders", order).whenComplete((id, ex) -> {
			if (ex == null) {
				logger.info("[dispatcher] sent order #{} ({} x {}) to queue 'orders'", order.number(), order.quantity(),
						order.item());
			}
			else if (!this.stopping) {
				logger.warn("[dispatcher] could not send order #{}: {}", order.number(), unwrap(ex).toString());
			}
		});
	}

	private void askForQuote(String symbol) {
		long start = System.nanoTime();
		this.disker.request("quotes", new QuoteRequest(symbol), Quote.class, QUOTE_TIMEOUT)
			.whenComplete((quote, ex) -> {
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				Throwable failure = (ex != null) ? unwrap(ex) : null;
				if (failure == null) {
					logger.info("[dispatcher] quote for {}: {} (request/reply, {} ms)", symbol, quote.price(), millis);
				}
				else if (failure instanceof RemoteInvocationException remote) {
					logger.info(
							"[dispatcher] quote for {} failed after {} ms: the listener threw {}: {} "
									+ "(the caller gets a RemoteInvocationException); after its last attempt a failed "
									+ "message goes to the dead-letter list of queue 'quotes'",
							symbol, millis, ClassUtils.getShortName(remote.getRemoteClassName()),
							remote.getRemoteMessage());
				}
				else if (failure instanceof DiskerTimeoutException timeout) {
					logger.info("[dispatcher] quote for {}: no reply within {} ms (DiskerTimeoutException); "
							+ "a reply that comes later is dropped", symbol, timeout.getTimeout().toMillis());
				}
				else if (this.stopping) {
					logger.info("[dispatcher] quote for {} abandoned: the application is shutting down", symbol);
				}
				else {
					logger.warn("[dispatcher] quote for {} failed: {}", symbol, failure.toString());
				}
			});
	}

	private void reportDeadLetters(String queue) {
		long count = this.deadLetters.count(queue);
		if (count == 0) {
			logger.info("[dispatcher] dead-letter list of queue '{}' is empty", queue);
			return;
		}
		DeadLetter newest = this.deadLetters.list(queue, 0, 1).get(0);
		logger.info(
				"[dispatcher] dead-letter list of queue '{}' holds {} message(s); newest: {} ({}: {}, {} "
						+ "attempt(s)); see /actuator/disker/{}",
				queue, count, newest.reason(), ClassUtils.getShortName(String.valueOf(newest.errorType())),
				newest.errorMessage(), newest.attempts(), queue);
	}

	private static Throwable unwrap(Throwable ex) {
		return (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
	}

}
