package io.disker.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.RetrySettings;
import io.disker.listener.UnknownTaskException;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The listener methods of one queue that handle different tasks, consumed by one
 * container: each message goes to the method of its
 * {@link io.disker.core.DiskerMessage#task() task}. A message whose task no method
 * handles fails with {@link UnknownTaskException} and is dead-lettered with reason
 * {@code no-handler}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class TaskRoutingListenerEndpoint implements DiskerListenerEndpoint {

	private final List<MethodDiskerListenerEndpoint> members;

	private final MethodDiskerListenerEndpoint first;

	/**
	 * Combine the endpoints of one queue.
	 * @param members the endpoints, at least one of them with a task, at most one per
	 * task
	 * @throws IllegalArgumentException if they disagree on the queue, a task or a
	 * container setting
	 */
	public TaskRoutingListenerEndpoint(List<MethodDiskerListenerEndpoint> members) {
		Assert.notEmpty(members, "'members' must not be empty");
		this.members = List.copyOf(members);
		this.first = members.get(0);
		Map<@Nullable String, MethodDiskerListenerEndpoint> byTask = new LinkedHashMap<>();
		for (MethodDiskerListenerEndpoint member : members) {
			Assert.isTrue(member.getQueue().equals(this.first.getQueue()), "Endpoints of different queues");
			MethodDiskerListenerEndpoint other = byTask.put(member.getTask(), member);
			Assert.isTrue(other == null, () -> "Both " + other + " and " + member + " handle "
					+ ((member.getTask() != null) ? "task '" + member.getTask() + "'" : "messages without a task"));
		}
		agreed("concurrency", DiskerListenerEndpoint::getConcurrency);
		agreed("prefetch", DiskerListenerEndpoint::getPrefetch);
		agreed("autoStartup", DiskerListenerEndpoint::getAutoStartup);
		agreed("timeout", DiskerListenerEndpoint::getTimeout);
		agreed("retry settings", DiskerListenerEndpoint::getRetrySettings);
	}

	private <T> @Nullable T agreed(String setting, Function<DiskerListenerEndpoint, @Nullable T> getter) {
		T value = null;
		for (MethodDiskerListenerEndpoint member : this.members) {
			T own = getter.apply(member);
			if (own != null) {
				T chosen = value;
				Assert.isTrue(chosen == null || Objects.equals(chosen, own),
						() -> "The listeners of queue '" + this.first.getQueue() + "' set different " + setting + " ("
								+ chosen + ", " + own + "); set it on one of them");
				value = own;
			}
		}
		return value;
	}

	@Override
	public String getId() {
		return this.first.getId();
	}

	@Override
	public String getQueue() {
		return this.first.getQueue();
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return agreed("concurrency", DiskerListenerEndpoint::getConcurrency);
	}

	@Override
	public @Nullable Integer getPrefetch() {
		return agreed("prefetch", DiskerListenerEndpoint::getPrefetch);
	}

	@Override
	public @Nullable Boolean getAutoStartup() {
		return agreed("autoStartup", DiskerListenerEndpoint::getAutoStartup);
	}

	@Override
	public @Nullable Duration getTimeout() {
		return agreed("timeout", DiskerListenerEndpoint::getTimeout);
	}

	@Override
	public @Nullable RetrySettings getRetrySettings() {
		return agreed("retry settings", DiskerListenerEndpoint::getRetrySettings);
	}

	@Override
	public DiskerMessageListener createMessageListener(MessageCodec codec) {
		Map<String, DiskerMessageListener> byTask = new LinkedHashMap<>();
		DiskerMessageListener untasked = null;
		for (MethodDiskerListenerEndpoint member : this.members) {
			DiskerMessageListener listener = member.createMessageListener(codec);
			if (member.getTask() != null) {
				byTask.put(member.getTask(), listener);
			}
			else {
				untasked = listener;
			}
		}
		DiskerMessageListener fallback = untasked;
		String queue = getQueue();
		return (message) -> {
			String task = message.task();
			DiskerMessageListener listener = (task != null) ? byTask.get(task) : fallback;
			if (listener == null) {
				throw new UnknownTaskException(queue, task);
			}
			return listener.onMessage(message);
		};
	}

	@Override
	public String toString() {
		return "TaskRoutingListenerEndpoint" + this.members;
	}

}
