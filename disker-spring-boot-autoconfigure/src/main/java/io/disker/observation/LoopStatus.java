package io.disker.observation;

import java.time.Duration;
import java.util.Map;

/**
 * The state of one of Disker's long-running loops: a queue consumer, the reply inbox
 * reader, the lease sweeper, the due-time scheduler, a timer listener.
 *
 * @param name the loop's name (e.g. the container id)
 * @param kind what kind of loop it is ({@code consumer}, {@code reply-inbox},
 * {@code lease-sweeper}, {@code lease-renewal}, {@code due-scheduler}, {@code timer})
 * @param alive whether it made progress (or finished a blocking wait) recently enough
 * @param state its state (e.g. {@code running}, {@code paused}, {@code stopped})
 * @param idleMillis milliseconds since it last made progress, or -1 if it never ran
 * @param details more facts, e.g. the queue
 * @author Disker team
 * @since 0.1.0
 */
public record LoopStatus(String name, String kind, boolean alive, String state, long idleMillis,
		Map<String, Object> details) {

	public LoopStatus {
		details = Map.copyOf(details);
	}

	/**
	 * Return how long a loop that wakes at least once per period may stay idle before it
	 * counts as stalled: three missed periods plus two seconds of grace for pauses of the
	 * JVM or the machine.
	 * @param period the longest time between two wake-ups of a healthy loop (its blocking
	 * wait or its polling interval)
	 * @return the limit in milliseconds
	 */
	public static long staleAfterMillis(Duration period) {
		return period.toMillis() * 3 + 2000;
	}

	/**
	 * Judge a loop by how long it has been idle.
	 * @param name the name
	 * @param kind the kind
	 * @param state the state
	 * @param lastActivity when it last made progress (monotonic ms, 0 = never)
	 * @param now the monotonic time now
	 * @param staleAfterMillis how long it may be idle and still count as alive
	 * @param details more facts
	 * @return the status
	 */
	public static LoopStatus judge(String name, String kind, String state, long lastActivity, long now,
			long staleAfterMillis, Map<String, Object> details) {
		long idle = (lastActivity > 0) ? now - lastActivity : -1;
		boolean alive = idle >= 0 && idle <= staleAfterMillis;
		return new LoopStatus(name, kind, alive, state, idle, details);
	}

}
