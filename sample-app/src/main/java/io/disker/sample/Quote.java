package io.disker.sample;

/**
 * The reply to a {@link QuoteRequest}.
 *
 * @param symbol the symbol
 * @param price the price
 * @author Disker team
 * @since 0.1.0
 */
public record Quote(String symbol, double price) {
}
