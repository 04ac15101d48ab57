package io.disker.sample;

import java.util.Map;

import io.disker.annotation.DiskerListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Answers quote requests on the {@code quotes} queue: the returned {@link Quote} is the
 * reply. {@code SLOW} takes three seconds, longer than the dispatcher waits; an unknown
 * symbol makes the listener throw, and the requester gets a
 * {@link io.disker.core.RemoteInvocationException}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
public class QuoteService {

	private static final Logger logger = LoggerFactory.getLogger(QuoteService.class);

	private static final Map<String, Double> PRICES = Map.of("ACME", 42.0, "GLOBEX", 17.5, "INITECH", 8.25, "SLOW",
			1.0);

	private static final long SLOW_MILLIS = 3000;

	/**
	 * Quote a symbol. An unknown symbol stays unknown, so it is not retried: the
	 * requester learns of the failure at once.
	 * @param request the request
	 * @return the quote
	 * @throws InterruptedException if interrupted while slow
	 */
	@DiskerListener(id = "quotes", queue = "quotes", concurrency = "2", noRetryFor = IllegalArgumentException.class)
	public Quote quote(QuoteRequest request) throws InterruptedException {
		String worker = Thread.currentThread().getName();
		Double price = PRICES.get(request.symbol());
		if (price == null) {
			logger.info("[{}] no price for {}: the handler throws IllegalArgumentException", worker, request.symbol());
			throw new IllegalArgumentException("unknown symbol '" + request.symbol() + "'");
		}
		if ("SLOW".equals(request.symbol())) {
			logger.info("[{}] quoting SLOW takes {} ms, longer than the requester waits", worker, SLOW_MILLIS);
			Thread.sleep(SLOW_MILLIS);
		}
		logger.info("[{}] quoted {} at {}", worker, request.symbol(), price);
		return new Quote(request.symbol(), price);
	}

}
