package io.disker.boot.test;

/**
 * A child JVM for {@link TestRedisServerTests}: starts a server it never closes, prints
 * its pid, then sleeps until killed or terminated.
 */
public final class ServerMain {

	private ServerMain() {
	}

	public static void main(String[] args) throws InterruptedException {
		TestRedisServer redis = TestRedisServer.start();
		System.out.println("REDIS " + redis.pid());
		Thread.sleep(60_000);
	}

}
