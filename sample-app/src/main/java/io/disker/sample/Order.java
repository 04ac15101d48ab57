package io.disker.sample;

/**
 * An order, sent fire-and-forget to the {@code orders} queue.
 *
 * @param number the order number, counting from 1
 * @param item what was ordered
 * @param quantity how many
 * @author Disker team
 * @since 0.1.0
 */
public record Order(int number, String item, int quantity) {
}
