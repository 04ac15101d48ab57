package io.disker.test;

/**
 * A child JVM for {@link ParentDeathWatchdogTests}: starts a redis-server ("late" stops
 * it only after the JVM has exited), prints its pid and directory, then sleeps until
 * killed.
 */
public final class RedisServerMain {

	private RedisServerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		RedisServerProcess.Builder builder = RedisServerProcess.builder();
		if (args.length > 0 && args[0].equals("late")) {
			builder.stopAfterJvmExit();
		}
		RedisServerProcess redis = builder.start();
		System.out.println("REDIS " + redis.pid() + " " + redis.directory());
		Thread.sleep(60_000);
	}

}
