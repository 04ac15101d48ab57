package io.disker.sample;

/**
 * An item put into a {@link ShoppingCart}.
 *
 * @param item the item
 * @param quantity how many
 * @author Disker team
 * @since 0.1.0
 */
public record CartItem(String item, int quantity) {

}
