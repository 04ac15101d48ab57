package io.disker.fault;

import java.nio.file.Path;
import java.time.Duration;

import io.disker.test.ChildJvm;
import io.disker.test.RedisTarget;

/**
 * Builders for the child JVMs of the fault tests, with the same fast timings as
 * {@link io.disker.test.DiskerNodes} and JVM options that start quickly.
 */
final class Children {

	/** Generous: a child JVM starting Spring on a busy 2-core box. */
	static final Duration STARTUP = Duration.ofSeconds(30);

	private Children() {
	}

	static ChildJvm.Builder of(Class<?> mainClass, RedisTarget redis) {
		return ChildJvm.builder(mainClass)
			.jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xshare:auto")
			.systemProperty("spring.data.redis.host", redis.host())
			.systemProperty("spring.data.redis.port", Integer.toString(redis.port()))
			.systemProperty("disker.listener.lease-time", "2s")
			.systemProperty("disker.listener.sweep-interval", "200ms")
			.systemProperty("disker.listener.receive-timeout", "500ms")
			.systemProperty("disker.listener.shutdown-timeout", "10s");
	}

	static ChildJvm.Builder consumer(RedisTarget redis, String queue, Path ledger) {
		return of(ConsumerMain.class, redis).systemProperty("fault.queue", queue)
			.systemProperty("fault.ledger", ledger.toString());
	}

}
