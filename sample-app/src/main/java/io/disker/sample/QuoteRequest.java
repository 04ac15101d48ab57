package io.disker.sample;

/**
 * A request for the price of a stock symbol, sent to the {@code quotes} queue.
 *
 * @param symbol the symbol, such as {@code ACME}
 * @author Disker team
 * @since 0.1.0
 */
public record QuoteRequest(String symbol) {
}
