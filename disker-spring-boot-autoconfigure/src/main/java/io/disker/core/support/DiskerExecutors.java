package io.disker.core.support;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads Disker owns: a small scheduler for periodic work and timeouts, the executor
 * that completes request futures, and the executor that starts the containers' long-lived
 * threads. Deliberately not an {@link Executor} bean, so it never replaces the
 * application's.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class DiskerExecutors implements DisposableBean {

	private final ScheduledThreadPoolExecutor scheduler;

	private final Executor replies;

	private final SimpleAsyncTaskExecutor containers;

	private DiskerExecutors(boolean virtualThreads) {
		this.scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("disker-scheduler-"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.containers = new SimpleAsyncTaskExecutor("disker-");
		this.containers.setVirtualThreads(virtualThreads);
		if (virtualThreads) {
			SimpleAsyncTaskExecutor virtual = new SimpleAsyncTaskExecutor("disker-reply-");
			virtual.setVirtualThreads(true);
			this.replies = virtual;
		}
		else {
			this.replies = Executors.newFixedThreadPool(4, daemonThreads("disker-reply-"));
		}
	}

	/**
	 * Return a factory of daemon platform threads named after a prefix, for the few loops
	 * that must not share a thread with anything else (lease renewal, reconnects). Every
	 * thread Disker starts comes from this class.
	 * @param prefix the thread name prefix, e.g. {@code disker-lease-renewal-}
	 * @return the factory
	 */
	public static ThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		return threads;
	}

	/**
	 * Create executors on platform threads.
	 * @return the executors
	 */
	public static DiskerExecutors platform() {
		return new DiskerExecutors(false);
	}

	/**
	 * Create executors on virtual threads (Java 21+); the scheduler stays on platform
	 * threads.
	 * @return the executors
	 */
	public static DiskerExecutors virtual() {
		return new DiskerExecutors(true);
	}

	/**
	 * Return the scheduler.
	 * @return the scheduler
	 */
	public ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * Return the executor completing request futures.
	 * @return the executor
	 */
	public Executor replies() {
		return this.replies;
	}

	/**
	 * Return the executor starting the containers' threads (a new thread per task).
	 * @return the executor
	 */
	public Executor containers() {
		return this.containers;
	}

	@Override
	public void destroy() throws InterruptedException {
		this.scheduler.shutdownNow();
		if (this.replies instanceof ExecutorService service) {
			service.shutdown();
			service.awaitTermination(5, TimeUnit.SECONDS);
		}
	}

}
