package io.disker.benchmarks;

import io.disker.actor.support.RedisActorSystem;
import io.disker.test.RedisTarget;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * A JVM hosting the benchmark actors, killed by the recovery measurement. Arguments: the
 * Redis URL; system properties configure Disker. Prints {@code READY <member id>}.
 */
public final class ActorHostMain {

	private ActorHostMain() {
	}

	public static void main(String[] args) {
		RedisTarget redis = RedisTarget.external(args[0]);
		ConfigurableApplicationContext context = BenchApplication.start(redis, BenchActors.class);
		System.out.println("READY " + context.getBean(RedisActorSystem.class).memberId());
	}

}
