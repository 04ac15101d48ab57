package io.disker.actor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.disker.actor.support.RedisActorSystem;
import io.disker.boot.autoconfigure.DiskerActorAutoConfiguration;
import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The actor types of the tests.
 */
final class TestActors {

	private TestActors() {
	}

	static String member(ActorContext context) {
		return ((RedisActorSystem) context.system()).memberId();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerActorAutoConfiguration.class)
	@Import({ Echo.class, Counter.class, Static.class, Tree.class, Lifecycle.class, Elsewhere.class, Tally.class,
			InC1.class, InC2.class, InC3.class, InC4.class })
	static class Application {

	}

	/**
	 * A general-purpose actor: echo, attributes, greeting, failures, load, destroy.
	 */
	@DiskerActor(type = "echo")
	static class Echo {

		private final ActorContext context;

		private final List<Integer> appended = new ArrayList<>();

		private final AtomicBoolean busy = new AtomicBoolean();

		private Object greeting;

		Echo(ActorContext context) {
			this.context = context;
			ActorJournal.event(context.id(), "create:" + context.cause());
		}

		@ActorMethod("echo")
		Object echo(Object message) {
			return message;
		}

		@ActorMethod
		Map<String, Object> attributes() {
			return this.context.attributes();
		}

		@ActorMethod
		void greeting(Object greeting) {
			this.greeting = greeting;
		}

		@ActorMethod
		Object getGreeting() {
			return this.greeting;
		}

		@ActorMethod
		String die() {
			this.context.destroy();
			return "bye";
		}

		@ActorMethod
		String fail() {
			ActorJournal.increment(this.context.id() + ":fail");
			throw new IllegalStateException("Don't ask me");
		}

		@ActorMethod
		CompletableFuture<String> never() {
			ActorJournal.increment(this.context.id() + ":never");
			return new CompletableFuture<>();
		}

		@ActorMethod
		void load(int load) {
			this.context.setLoad(load);
		}

		@ActorMethod
		int size(String text) {
			return text.length();
		}

		@ActorMethod
		int add(int n) {
			return n + 1;
		}

		@ActorMethod
		String member() {
			return TestActors.member(this.context);
		}

		@ActorMethod
		List<Integer> append(int value) throws InterruptedException {
			if (!this.busy.compareAndSet(false, true)) {
				ActorJournal.increment("overlap");
			}
			try {
				this.appended.add(value);
				return List.copyOf(this.appended);
			}
			finally {
				this.busy.set(false);
			}
		}

		@PreDestroy
		void destroyed() {
			ActorJournal.event(this.context.id(), "destroy");
		}

	}

	/**
	 * A recoverable counter.
	 */
	@DiskerActor(type = "counter", recoverable = true)
	static class Counter {

		private final ActorContext context;

		private int count;

		Counter(ActorContext context) {
			this.context = context;
			ActorJournal.event(context.id(), "create:" + context.cause());
		}

		@ActorMethod
		int add(int n) {
			this.count += n;
			return this.count;
		}

		@ActorMethod
		String member() {
			return TestActors.member(this.context);
		}

		@ActorMethod
		String cause() {
			return this.context.cause().name();
		}

		@ActorMethod
		Map<String, Object> attributes() {
			return this.context.attributes();
		}

		@ActorMethod
		String restart() {
			this.context.restart();
			return "restarting";
		}

		@PreDestroy
		void destroyed() throws InterruptedException {
			Integer cleanupMillis = this.context.attribute("cleanup-ms", Integer.class);
			if (cleanupMillis != null) {
				// a slow cleanup, such as writing state elsewhere
				Thread.sleep(cleanupMillis);
			}
			ActorJournal.event(this.context.id(), "destroy");
		}

	}

	/**
	 * A static actor: one instance, id = type.
	 */
	@DiskerActor(type = "registry", isStatic = true)
	static class Static {

		Static(ActorContext context) {
			ActorJournal.event(context.id(), "create:" + context.cause());
		}

		@ActorMethod
		String ping() {
			return "pong";
		}

	}

	/**
	 * DWK-19: a node that creates two children until depth 10.
	 */
	@DiskerActor(type = "tree")
	static class Tree {

		private final ActorContext context;

		private final List<ActorRef> children = new ArrayList<>();

		Tree(ActorContext context) {
			this.context = context;
			Integer depth = context.attribute("depth", Integer.class);
			int level = (depth != null) ? depth : 1;
			ActorJournal.event("tree", "create");
			if (level < 10) {
				for (int i = 0; i < 2; i++) {
					this.children.add(context.system()
						.create("tree", ActorSpec.dynamic().attributes(Map.of("depth", level + 1))));
				}
			}
		}

		@ActorMethod
		CompletableFuture<Integer> getSum() {
			CompletableFuture<Integer> sum = CompletableFuture.completedFuture(1);
			for (ActorRef child : this.children) {
				sum = sum.thenCombine(child.ask("getSum", null, Integer.class), Integer::sum);
			}
			return sum;
		}

		@ActorMethod
		void destroyAll() {
			this.children.forEach((child) -> child.tell("destroyAll", null));
			this.context.destroy();
		}

		@PreDestroy
		void destroyed() {
			ActorJournal.event("tree", "destroy");
		}

	}

	/**
	 * DWK-07: destroy called in the constructor, or twice.
	 */
	@DiskerActor(type = "lifecycle")
	static class Lifecycle {

		Lifecycle(ActorContext context) {
			ActorJournal.event(context.id(), "create");
			String when = context.attribute("destroy", String.class);
			if ("constructor".equals(when)) {
				context.destroy();
			}
			else if ("twice".equals(when)) {
				context.destroy();
				context.destroy();
			}
			this.id = context.id();
		}

		private final String id;

		@PreDestroy
		void destroyed() {
			ActorJournal.event(this.id, "destroy");
		}

	}

	/**
	 * A type bound to a cluster no instance is a member of.
	 */
	@DiskerActor(type = "elsewhere", cluster = "nowhere")
	static class Elsewhere {

	}

	/**
	 * A recoverable actor that records each invocation in a file of its JVM (storage that
	 * does not depend on Redis) and answers with its process id.
	 */
	@DiskerActor(type = "tally", recoverable = true)
	static class Tally {

		private final ActorContext context;

		@Value("${actor.ledger:}")
		private String ledger;

		Tally(ActorContext context) {
			this.context = context;
		}

		@ActorMethod
		long hit(String tag) throws IOException {
			if (!this.ledger.isEmpty()) {
				Files.writeString(Path.of(this.ledger), tag + "\n", StandardOpenOption.CREATE,
						StandardOpenOption.APPEND);
			}
			return ProcessHandle.current().pid();
		}

		@ActorMethod
		String member() {
			return TestActors.member(this.context);
		}

		@ActorMethod
		String cause() {
			return this.context.cause().name();
		}

		@ActorMethod
		Map<String, Object> attributes() {
			return this.context.attributes();
		}

	}

	/**
	 * DWK-09: types bound to clusters c1..c4.
	 */
	abstract static class ClusterBound {

		private final ActorContext context;

		ClusterBound(ActorContext context) {
			this.context = context;
		}

		@ActorMethod
		String member() {
			return TestActors.member(this.context);
		}

		@ActorMethod
		String restart() {
			this.context.restart();
			return "restarting";
		}

	}

	@DiskerActor(type = "w1", cluster = "c1", recoverable = true)
	static class InC1 extends ClusterBound {

		InC1(ActorContext context) {
			super(context);
		}

	}

	@DiskerActor(type = "w2", cluster = "c2", recoverable = true)
	static class InC2 extends ClusterBound {

		InC2(ActorContext context) {
			super(context);
		}

	}

	@DiskerActor(type = "w3", cluster = "c3", recoverable = true)
	static class InC3 extends ClusterBound {

		InC3(ActorContext context) {
			super(context);
		}

	}

	@DiskerActor(type = "w4", cluster = "c4", recoverable = true)
	static class InC4 extends ClusterBound {

		InC4(ActorContext context) {
			super(context);
		}

	}

}
