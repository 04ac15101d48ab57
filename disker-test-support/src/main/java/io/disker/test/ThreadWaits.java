package io.disker.test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;

/**
 * How often the threads running a given method of this JVM parked or waited, for tests
 * that show a thread sleeping through work other threads do: a thread woken for every
 * item waits again for every next one.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ThreadWaits {

	private ThreadWaits() {
	}

	/**
	 * Return how many times the threads that have the method on their stack parked or
	 * waited so far.
	 * @param type the class declaring the method
	 * @param method the method's name
	 * @return the sum of their waited counts
	 * @throws IllegalStateException if no thread runs the method
	 */
	public static long of(Class<?> type, String method) {
		long waits = 0;
		boolean found = false;
		for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			boolean running = Arrays.stream(thread.getStackTrace())
				.anyMatch(
						(frame) -> frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method));
			if (running) {
				found = true;
				waits += thread.getWaitedCount();
			}
		}
		if (!found) {
			throw new IllegalStateException("No thread runs " + type.getName() + "." + method);
		}
		return waits;
	}

}
