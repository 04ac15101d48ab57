package io.disker.listener;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Stops several parts asynchronously and calls back once, when the last one called back:
 * the shape of {@link org.springframework.context.SmartLifecycle#stop(Runnable)} for a
 * component made of containers.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class AggregatedStop {

	private AggregatedStop() {
	}

	/**
	 * Stop every part and run the callback once all of them called back (at once if there
	 * are none).
	 * @param <T> the type of the parts
	 * @param parts the parts to stop
	 * @param stop stops one part, running the given callback when it is done
	 * @param callback run once, after the last part stopped
	 */
	public static <T> void stopAll(Collection<? extends T> parts, BiConsumer<T, Runnable> stop, Runnable callback) {
		if (parts.isEmpty()) {
			callback.run();
			return;
		}
		AtomicInteger left = new AtomicInteger(parts.size());
		for (T part : parts) {
			stop.accept(part, () -> {
				if (left.decrementAndGet() == 0) {
					callback.run();
				}
			});
		}
	}

}
