package io.disker.monitor;

import java.util.List;

import io.disker.observation.LoopStatus;
import org.jspecify.annotations.Nullable;

/**
 * Whether Disker works on this application instance: Redis answers and every loop that
 * should run has made progress recently.
 *
 * @param redisReachable whether Redis answered {@code PING}
 * @param redisError why it did not, or {@code null}
 * @param pingMillis how long the ping took, or -1
 * @param loops the status of every loop
 * @author Disker team
 * @since 0.1.0
 */
public record LivenessReport(boolean redisReachable, @Nullable String redisError, long pingMillis,
		List<LoopStatus> loops) {

	public LivenessReport {
		loops = List.copyOf(loops);
	}

	/**
	 * Return whether everything works.
	 * @return whether Redis answers and every loop is alive
	 */
	public boolean isUp() {
		return this.redisReachable && this.loops.stream().allMatch(LoopStatus::alive);
	}

}
