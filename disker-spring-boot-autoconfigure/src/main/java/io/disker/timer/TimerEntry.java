package io.disker.timer;

import java.nio.charset.StandardCharsets;

/**
 * An event as stored in a namespace's events hash:
 * {@code <maxRetries>,<numRetries>,<JSON>}. The Lua scripts split it with two searches
 * and never decode the JSON.
 *
 * @param maxRetries the most retries
 * @param numRetries the retry number of the next delivery
 * @param json the event JSON
 * @author Disker team
 * @since 0.1.0
 */
record TimerEntry(int maxRetries, int numRetries, String json) {

	byte[] encode() {
		return (this.maxRetries + "," + this.numRetries + "," + this.json).getBytes(StandardCharsets.UTF_8);
	}

	static TimerEntry decode(byte[] raw) {
		String text = new String(raw, StandardCharsets.UTF_8);
		int first = text.indexOf(',');
		int second = (first >= 0) ? text.indexOf(',', first + 1) : -1;
		if (second < 0) {
			throw new IllegalStateException("Unreadable timer entry");
		}
		return new TimerEntry(Integer.parseInt(text.substring(0, first)),
				Integer.parseInt(text.substring(first + 1, second)), text.substring(second + 1));
	}

}
