package io.disker.monitor;

/**
 * How many messages a queue holds in each state.
 *
 * @param ready waiting to be taken
 * @param delayed waiting for their delivery time (delayed sends and scheduled retries)
 * @param processing held by consumers
 * @param dead in the dead-letter list
 * @param consumers consumers holding a live lease
 * @author Disker team
 * @since 0.1.0
 */
public record QueueDepth(long ready, long delayed, long processing, long dead, long consumers) {

	/**
	 * Return the count for a state name ({@code ready}, {@code delayed},
	 * {@code processing}, {@code dead}).
	 * @param state the state
	 * @return the count
	 */
	public long get(String state) {
		return switch (state) {
			case "ready" -> this.ready;
			case "delayed" -> this.delayed;
			case "processing" -> this.processing;
			case "dead" -> this.dead;
			default -> throw new IllegalArgumentException("Unknown queue state '" + state + "'");
		};
	}

}
