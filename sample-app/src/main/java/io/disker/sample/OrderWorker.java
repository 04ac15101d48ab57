package io.disker.sample;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * A pool of three workers on the {@code orders} queue: each order is handled by exactly
 * one of them, on its own thread. Every tenth order fails on its first attempt to show
 * Disker's retries.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
public class OrderWorker {

	private static final Logger logger = LoggerFactory.getLogger(OrderWorker.class);

	@DiskerListener(id = "worker", queue = "orders", concurrency = "3")
	public void handle(Order order, DiskerMessage<Order> message) throws InterruptedException {
		String worker = Thread.currentThread().getName();
		if (order.number() % 10 == 0 && message.attempt() == 1) {
			logger.info(
					"[{}] order #{}: warehouse busy, the handler throws; Disker retries the message and "
							+ "after its last attempt it goes to the dead-letter list of queue 'orders'",
					worker, order.number());
			throw new IllegalStateException("warehouse busy for order #" + order.number());
		}
		long start = System.nanoTime();
		Thread.sleep(ThreadLocalRandom.current().nextLong(100, 501));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		logger.info("[{}] handled order #{} in {} ms{}", worker, order.number(), millis,
				(message.attempt() > 1) ? " (attempt " + message.attempt() + ")" : "");
	}

}
