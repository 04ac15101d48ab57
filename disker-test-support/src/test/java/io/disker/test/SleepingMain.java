package io.disker.test;

/**
 * A child JVM for {@link ChildJvmTests}: reports its inputs, prints READY, then sleeps
 * (ticking if asked) until killed or for at most a minute. A shutdown hook prints BYE.
 */
public final class SleepingMain {

	private SleepingMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("BYE")));
		System.out.println("ARGS " + String.join(",", args));
		System.out.println("PROPERTY " + System.getProperty("sleeping.property"));
		System.err.println("ENV " + System.getenv("SLEEPING_ENV"));
		System.out.println("READY");
		boolean ticking = args.length > 0 && args[0].equals("tick");
		for (int tick = 1; tick <= 600; tick++) {
			Thread.sleep(100);
			if (ticking) {
				System.out.println("TICK " + tick);
			}
		}
	}

}
