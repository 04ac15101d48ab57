package io.disker.routing;

import io.disker.core.DiskerNames;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An exchange declaration.
 *
 * @param name the exchange name
 * @param type how the exchange matches routing keys
 * @param alternateQueue the queue that receives messages no binding matches, or
 * {@code null} to fail such sends with {@link UnroutableMessageException}
 * @author Disker team
 * @since 0.1.0
 */
public record Exchange(String name, ExchangeType type, @Nullable String alternateQueue) {

	/**
	 * Create a declaration, validating its names.
	 * @param name the exchange name
	 * @param type the type
	 * @param alternateQueue the alternate queue, or {@code null}
	 */
	public Exchange {
		DiskerNames.validate("exchange", name);
		Assert.notNull(type, "'type' must not be null");
		if (alternateQueue != null) {
			DiskerNames.validate("alternate queue", alternateQueue);
		}
	}

}
