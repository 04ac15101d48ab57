package io.disker.observation;

import java.util.List;

/**
 * A component running loops whose liveness health checks should see.
 *
 * @author Disker team
 * @since 0.1.0
 */
@FunctionalInterface
public interface LoopStatusSource {

	/**
	 * Return the status of each loop that should be running now. Must not call Redis.
	 * @return the statuses
	 */
	List<LoopStatus> loopStatuses();

}
