package io.disker.queue.support;

/**
 * A message a consumer took from a queue and holds in its processing list.
 * <p>
 * Two deliveries are equal only if they share the same byte array (records compare array
 * components by identity): each copy taken is its own delivery, and equality costs no
 * walk over the bytes. {@link #contentKey()} compares contents.
 *
 * @param raw the message bytes exactly as stored
 * @param processingList the processing list holding it (one per consumer generation)
 * @param redisMillis Redis time when it was taken
 * @author Disker team
 * @since 0.1.0
 */
public record Delivery(byte[] raw, String processingList, long redisMillis) {

	/**
	 * Return a key equal for equal message bytes.
	 * @return the content key
	 */
	ContentKey contentKey() {
		return new ContentKey(this.raw);
	}

}
