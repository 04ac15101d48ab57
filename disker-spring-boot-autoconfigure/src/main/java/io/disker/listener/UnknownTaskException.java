package io.disker.listener;

import io.disker.core.DiskerException;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when a message names a task that no listener of its queue handles. Such a
 * message goes to the dead-letter list at once, with reason {@code no-handler}; it is
 * never retried.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class UnknownTaskException extends DiskerException {

	private final @Nullable String task;

	/**
	 * Create an exception.
	 * @param queue the queue
	 * @param task the task the message named, or {@code null} if it named none
	 */
	public UnknownTaskException(String queue, @Nullable String task) {
		super((task != null) ? "No listener of queue '" + queue + "' handles task '" + task + "'"
				: "No listener of queue '" + queue + "' handles messages without a task", null);
		this.task = task;
	}

	/**
	 * Return the task the message named.
	 * @return the task, or {@code null} if it named none
	 */
	public @Nullable String getTask() {
		return this.task;
	}

}
