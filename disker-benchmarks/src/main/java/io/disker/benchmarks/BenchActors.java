package io.disker.benchmarks;

import java.util.concurrent.atomic.LongAdder;

import io.disker.actor.ActorContext;
import io.disker.actor.ActorMethod;
import io.disker.actor.DiskerActor;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The actor types of the actor suite: {@code bench-echo} answers asks with their argument
 * and counts tells; {@code bench-ballast} only carries load.
 */
@Configuration(proxyBeanMethods = false)
@Import({ BenchActors.Echo.class, BenchActors.Ballast.class })
public class BenchActors {

	/** Tells handled by the echo actors of this JVM. */
	static final LongAdder TELLS = new LongAdder();

	/**
	 * Answers with its argument; counts tells.
	 */
	@DiskerActor(type = "bench-echo", recoverable = true)
	public static class Echo {

		@ActorMethod
		public String echo(String payload) {
			return payload;
		}

		@ActorMethod
		public void count(String payload) {
			TELLS.increment();
		}

		@ActorMethod
		public long pid() {
			return ProcessHandle.current().pid();
		}

	}

	/**
	 * Carries load, so that placement prefers other instances.
	 */
	@DiskerActor(type = "bench-ballast")
	public static class Ballast {

		public Ballast(ActorContext context) {
		}

	}

}
