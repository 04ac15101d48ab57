package io.disker.actor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.disker.actor.support.RedisActorSystem;
import io.disker.core.DiskerTimeoutException;
import io.disker.core.InvalidNameException;
import io.disker.core.MessageTooLargeException;
import io.disker.core.RemoteInvocationException;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The dworker seed's acceptance scenarios (seeds-spec §2.10) mapped to Disker's actors: a
 * broker is an application instance ({@link ActorSystem} bean), a worker class a
 * {@link DiskerActor @DiskerActor} type, an agent an {@link ActorRef}.
 */
@RedisTest
class ActorScenariosIntegrationTests {

	static final String[] FAST = { "disker.actor.lease-time=2s", "disker.actor.heartbeat-interval=300ms",
			"disker.actor.sweep-interval=200ms", "disker.actor.receive-timeout=500ms" };

	private static final String KEYS = "disker:a:{main}:";

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private RedisCli cli;

	ActorScenariosIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
		this.cli = this.redis.cli();
		ActorJournal.clear();
	}

	@AfterEach
	void close() {
		this.nodes.close();
		this.cli.close();
	}

	private ConfigurableApplicationContext node(String... properties) {
		List<String> all = new ArrayList<>(List.of(FAST));
		all.addAll(List.of(properties));
		return this.nodes.start(TestActors.Application.class, all.toArray(new String[0]));
	}

	private static ActorSystem actors(ConfigurableApplicationContext node) {
		return node.getBean(ActorSystem.class);
	}

	private static <T> T get(CompletableFuture<T> future) throws Exception {
		return future.get(10, TimeUnit.SECONDS);
	}

	private static Throwable failure(CompletableFuture<?> future) {
		try {
			future.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			return ex.getCause();
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
		throw new AssertionError("Expected a failure, got a result");
	}

	@Test
	void createAndAsk() throws Exception { // DWK-01
		ActorSystem actors = actors(node());
		ActorRef ref = actors.create("echo");
		assertThat(ref.id()).matches("echo#\\d+");
		assertThat(get(ref.ask("echo", Map.of("msg", "yahoo"), Map.class))).isEqualTo(Map.of("msg", "yahoo"));
	}

	@Test
	void attributesReachTheActor() throws Exception { // DWK-02
		ActorSystem actors = actors(node());
		Map<String, Object> attributes = Map.of("magicwd", "please", "info", Map.of("age", 29, "single", true));
		ActorRef ref = actors.create("echo", ActorSpec.dynamic().attributes(attributes));
		assertThat(get(ref.ask("attributes", null, Map.class))).isEqualTo(attributes);
	}

	@Test
	void explicitIdAndIdempotentCreate() throws Exception { // DWK-03
		ActorSystem actors = actors(node());
		ActorRef first = actors.create("echo", ActorSpec.id("my-worker-123"));
		ActorRef second = actors.create("echo", ActorSpec.id("my-worker-123"));
		assertThat(first.id()).isEqualTo("my-worker-123");
		assertThat(second).isEqualTo(first);
		assertThat(get(second.ask("add", 1, Integer.class))).isEqualTo(2);
		assertThat(ActorJournal.events("my-worker-123")).containsExactly("create:CREATED");
		assertThatExceptionOfType(ActorTypeMismatchException.class)
			.isThrownBy(() -> actors.create("counter", ActorSpec.id("my-worker-123")));
	}

	@Test
	void find() throws Exception { // DWK-04, DWK-26 (find works on Redis >= 7)
		ActorSystem actors = actors(node());
		ActorRef created = actors.create("echo", ActorSpec.id("findable"));
		ActorRef found = actors.find("findable").orElseThrow();
		assertThat(found).isEqualTo(created);
		assertThat(get(found.ask("add", 41, Integer.class))).isEqualTo(42);
		assertThat(actors.find("FakeWorker")).isEmpty();
		assertThat(String.valueOf(this.cli.command("INFO", "server"))).containsPattern("redis_version:[7-9]");
	}

	@Test
	void tellThenAskAreHandledInOrder() throws Exception { // DWK-05
		ActorRef ref = actors(node()).create("echo");
		CompletableFuture<Void> told = ref.tell("greeting", Map.of("msg", "hi"));
		CompletableFuture<Map> greeting = ref.ask("getGreeting", null, Map.class);
		assertThat(told).succeedsWithin(Duration.ofSeconds(10));
		assertThat(get(greeting)).isEqualTo(Map.of("msg", "hi"));
	}

	@Test
	void oneMessageAtATimeInArrivalOrder() throws Exception { // mailbox (the seed had
																// none)
		ConfigurableApplicationContext node = node();
		ActorRef ref = actors(node).create("echo");
		List<CompletableFuture<List>> replies = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			replies.add(ref.ask("append", i, List.class));
		}
		List<?> last = get(replies.get(299));
		List<Integer> expected = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			expected.add(i);
		}
		assertThat(last).isEqualTo(expected);
		assertThat(ActorJournal.count("overlap")).isZero();
	}

	@Test
	void selfDestroyedActorIsGone() throws Exception { // DWK-06
		ActorSystem actors = actors(node());
		ActorRef ref = actors.create("echo");
		assertThat(get(ref.ask("die", null, String.class))).isEqualTo("bye");
		assertThat(failure(ref.ask("echo", "x", String.class))).isInstanceOf(ActorNotFoundException.class);
		assertThat(actors.find(ref.id())).isEmpty();
		assertThat(ActorJournal.events(ref.id())).containsExactly("create:CREATED", "destroy");
	}

	@Test
	void destroyInTheConstructorOrTwiceRunsCallbacksOnce() { // DWK-07
		ActorSystem actors = actors(node());
		ActorRef inConstructor = actors.create("lifecycle",
				ActorSpec.dynamic().attributes(Map.of("destroy", "constructor")));
		ActorRef twice = actors.create("lifecycle", ActorSpec.dynamic().attributes(Map.of("destroy", "twice")));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(ActorJournal.events(inConstructor.id())).containsExactly("create", "destroy");
			assertThat(ActorJournal.events(twice.id())).containsExactly("create", "destroy");
		});
		await().atMost(Duration.ofSeconds(5)).until(() -> actors.find(inConstructor.id()).isEmpty());
		assertThat(actors.find(twice.id())).isEmpty();
	}

	@Test
	void exceptionReachesTheCallerAndTheMethodRanOnce() throws Exception { // DWK-08, B2
		ActorRef ref = actors(node()).create("echo");
		Throwable failure = failure(ref.ask("fail", null, String.class));
		assertThat(failure).isInstanceOf(RemoteInvocationException.class).hasMessageContaining("Don't ask me");
		assertThat(((RemoteInvocationException) failure).getRemoteClassName())
			.isEqualTo(IllegalStateException.class.getName());
		assertThat(get(ref.ask("add", 1, Integer.class))).isEqualTo(2);
		assertThat(ActorJournal.count(ref.id() + ":fail")).isOne();
	}

	@Test
	void loadAccounting() throws Exception { // DWK-10
		ConfigurableApplicationContext node = node();
		RedisActorSystem actors = node.getBean(RedisActorSystem.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> memberLoad(actors.memberId()) != null);
		assertThat(memberLoad(actors.memberId())).isEqualTo("0");
		ActorRef ref = actors.create("echo");
		assertThat(memberLoad(actors.memberId())).isEqualTo("1");
		get(ref.ask("load", 10, Void.class));
		await().atMost(Duration.ofSeconds(5)).until(() -> "10".equals(memberLoad(actors.memberId())));
		get(ref.ask("load", 2, Void.class));
		await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(memberLoad(actors.memberId())));
		assertThat(actors.load()).isEqualTo(2);
		get(ref.ask("die", null, String.class));
		await().atMost(Duration.ofSeconds(5)).until(() -> "0".equals(memberLoad(actors.memberId())));
	}

	private String memberLoad(String member) {
		Object score = this.cli.command("ZSCORE", KEYS + "load", member);
		return (score != null) ? String.valueOf(score) : null;
	}

	@Test
	void clustersPlaceEachTypeOnItsOwnClusterAndRecoverThere() throws Exception { // DWK-09,
																					// DWK-15
		List<RedisActorSystem> members = new ArrayList<>();
		for (int i = 1; i <= 4; i++) {
			members.add(node("disker.actor.cluster=c" + i).getBean(RedisActorSystem.class));
		}
		RedisActorSystem first = members.get(0);
		for (int i = 1; i <= 4; i++) {
			ActorRef ref = first.create("w" + i);
			assertThat(ref.cluster()).isEqualTo("c" + i);
			assertThat(get(ref.ask("member", null, String.class))).isEqualTo(members.get(i - 1).memberId());
		}
		ActorRef third = first.find("w3#1").orElseThrow();
		assertThat(get(third.ask("restart", null, String.class))).isEqualTo("restarting");
		assertThat(get(third.ask("member", null, String.class))).isEqualTo(members.get(2).memberId());
		assertThat(third.cluster()).isEqualTo("c3");
	}

	@Test
	void placementPicksTheLeastLoadedLiveInstanceAndSkipsDeadOnes() throws Exception { // DWK-11
		RedisActorSystem a = node().getBean(RedisActorSystem.class);
		RedisActorSystem b = node().getBean(RedisActorSystem.class);
		// a member whose lease lapsed, with the least load: never chosen, then evicted
		this.cli.command("ZADD", KEYS + "nodes", "1", "ghost");
		this.cli.command("ZADD", KEYS + "load", "-5", "ghost");
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			members.add(get(a.create("echo").ask("member", null, String.class)));
		}
		assertThat(members).doesNotContain("ghost").containsOnly(a.memberId(), b.memberId());
		assertThat(members.stream().filter(a.memberId()::equals).count()).isEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cli.command("ZSCORE", KEYS + "nodes", "ghost") == null);
	}

	@Test
	void gracefulShutdownMigratesRecoverableActors() throws Exception { // DWK-12
		ConfigurableApplicationContext first = node();
		ActorRef ref = actors(first).create("counter", ActorSpec.id("acct-1").attributes(Map.of("owner", "ada")));
		assertThat(get(ref.ask("add", 5, Integer.class))).isEqualTo(5);
		ActorRef gone = actors(first).create("echo", ActorSpec.id("not-recoverable"));
		ConfigurableApplicationContext second = node();
		RedisActorSystem survivor = second.getBean(RedisActorSystem.class);
		assertThat(get(ref.ask("member", null, String.class)))
			.isEqualTo(first.getBean(RedisActorSystem.class).memberId());
		first.close();
		ActorRef found = survivor.find("acct-1").orElseThrow();
		assertThat(get(found.ask("member", null, String.class))).isEqualTo(survivor.memberId());
		assertThat(get(found.ask("cause", null, String.class))).isEqualTo("RECOVERED");
		assertThat(get(found.ask("attributes", null, Map.class))).isEqualTo(Map.of("owner", "ada"));
		assertThat(get(found.ask("add", 1, Integer.class))).isEqualTo(1);
		assertThat(survivor.find(gone.id())).isEmpty();
	}

	@Test
	void actorsWaitForAnInstanceAndMessagesWaitWithThem() throws Exception { // recovery
																				// with no
																				// live
																				// member
																				// (B10)
		ConfigurableApplicationContext first = node();
		ActorRef ref = actors(first).create("counter", ActorSpec.id("patient"));
		assertThat(get(ref.ask("add", 1, Integer.class))).isEqualTo(1);
		ConfigurableApplicationContext caller = this.nodes.start(CallerOnly.class);
		first.close();
		ActorRef remote = actors(caller).ref("main", "patient");
		CompletableFuture<Integer> waiting = remote.ask("add", 2, Integer.class, Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cli.llen(KEYS + "park:patient") == 1);
		assertThat(waiting).isNotDone();
		node();
		assertThat(get(waiting)).isEqualTo(2);
	}

	@Test
	void goDieGo() throws Exception { // DWK-14
		ConfigurableApplicationContext node = node();
		List<ActorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		node.addApplicationListener(ApplicationListener.<ActorEvent>forPayload(events::add));
		RedisActorSystem actors = node.getBean(RedisActorSystem.class);
		ActorRef ref = actors.create("counter");
		assertThat(get(ref.ask("add", 3, Integer.class))).isEqualTo(3);
		assertThat(get(ref.ask("restart", null, String.class))).isEqualTo("restarting");
		assertThat(get(ref.ask("add", 1, Integer.class))).isEqualTo(1);
		assertThat(get(ref.ask("cause", null, String.class))).isEqualTo("RECOVERED");
		assertThat(ActorJournal.events(ref.id())).containsExactly("create:CREATED", "destroy", "create:RECOVERED");
		Map<String, Long> stats = actors.stats().snapshot();
		assertThat(stats).containsEntry("created", 1L).containsEntry("recovered", 1L).containsEntry("destroyed", 1L);
		assertThat(events).extracting(ActorEvent::change)
			.containsExactly(ActorEvent.Change.CREATED, ActorEvent.Change.DESTROYED, ActorEvent.Change.RECOVERED);
		assertThat(events).extracting(ActorEvent::actorId).containsOnly(ref.id());
	}

	@Test
	void aRestartedIncarnationEndsBeforeTheNextOneStarts() throws Exception {
		ConfigurableApplicationContext node = node();
		List<ActorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
		node.addApplicationListener(ApplicationListener.<ActorEvent>forPayload(events::add));
		ActorRef ref = actors(node).create("counter", ActorSpec.dynamic().attributes(Map.of("cleanup-ms", 300)));
		assertThat(get(ref.ask("restart", null, String.class))).isEqualTo("restarting");
		assertThat(get(ref.ask("cause", null, String.class))).isEqualTo("RECOVERED");
		assertThat(ActorJournal.events(ref.id())).containsExactly("create:CREATED", "destroy", "create:RECOVERED");
		assertThat(events).extracting(ActorEvent::change)
			.containsExactly(ActorEvent.Change.CREATED, ActorEvent.Change.DESTROYED, ActorEvent.Change.RECOVERED);
	}

	@Test
	void messagesRightAfterARestartReachTheNextIncarnationOnTheSameInstance() throws Exception {
		ActorRef ref = actors(node()).create("counter");
		for (int i = 0; i < 50; i++) {
			CompletableFuture<String> restart = ref.ask("restart", null, String.class);
			CompletableFuture<Integer> next = ref.ask("add", 1, Integer.class);
			assertThat(get(restart)).isEqualTo("restarting");
			assertThat(get(next)).as("round " + i).isEqualTo(1);
			assertThat(get(ref.ask("cause", null, String.class))).isEqualTo("RECOVERED");
		}
	}

	@Test
	void treeOf1023Actors() throws Exception { // DWK-19
		// every getSum waits for its whole subtree to be built: not within the default
		// ask timeout (5 s) on a slow machine
		ConfigurableApplicationContext first = node("disker.actor.ask-timeout=60s");
		node("disker.actor.ask-timeout=60s");
		ActorRef root = actors(first).create("tree");
		assertThat(root.ask("getSum", null, Integer.class).get(60, TimeUnit.SECONDS)).isEqualTo(1023);
		assertThat(ActorJournal.countEvents("create")).isEqualTo(1023);
		assertThat(this.cli.command("ZCARD", KEYS + "ids")).isEqualTo(1023L);
		root.tell("destroyAll", null).get(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(60)).until(() -> ActorJournal.countEvents("destroy") == 1023);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Long.valueOf(0).equals(this.cli.command("ZCARD", KEYS + "ids")));
	}

	@Test
	void staticAndDynamicIds() throws Exception { // DWK-22
		ActorSystem actors = actors(node());
		ActorRef one = actors.create("registry");
		ActorRef two = actors.create("registry");
		assertThat(one.id()).isEqualTo("registry");
		assertThat(two).isEqualTo(one);
		assertThat(get(two.ask("ping", null, String.class))).isEqualTo("pong");
		assertThat(ActorJournal.events("registry")).containsExactly("create:CREATED");
		assertThat(actors.create("echo").id()).isEqualTo("echo#1");
		assertThat(actors.create("echo").id()).isEqualTo("echo#2");
	}

	@Test
	void askTimesOutAndTheMethodRanOnce() throws Exception { // DWK-24
		ActorRef ref = actors(node()).create("echo");
		long start = System.nanoTime();
		Throwable failure = failure(ref.ask("never", null, String.class, Duration.ofMillis(500)));
		assertThat(failure).isInstanceOf(DiskerTimeoutException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
		assertThat(get(ref.ask("add", 1, Integer.class))).isEqualTo(2);
		assertThat(ActorJournal.count(ref.id() + ":never")).isOne();
	}

	@Test
	void createErrors() { // DWK-25
		ActorSystem actors = actors(node());
		assertThatExceptionOfType(UnknownActorTypeException.class).isThrownBy(() -> actors.create("X"))
			.withMessageContaining("'X' is not registered");
		assertThatExceptionOfType(NoActorInstanceException.class).isThrownBy(() -> actors.create("elsewhere"))
			.withMessageContaining("nowhere");
	}

	@Test
	void oneMebibytePayload() throws Exception { // DWK-27, B5
		ActorRef ref = actors(node()).create("echo");
		String big = "x".repeat(1024 * 1024);
		assertThat(get(ref.ask("size", big, Integer.class))).isEqualTo(1024 * 1024);
		assertThat(get(ref.ask("echo", big, String.class))).isEqualTo(big);
	}

	@Test
	void badInputFailsTypedAndNoThreadDies() throws Exception {
		ActorSystem actors = actors(node());
		ActorRef ref = actors.create("echo");
		assertThat(failure(ref.ask("nope", null, String.class))).isInstanceOf(ActorMessageRejectedException.class)
			.hasMessageContaining("no @ActorMethod named 'nope'");
		assertThat(failure(ref.ask("add", "abc", Integer.class))).isInstanceOf(ActorMessageRejectedException.class)
			.hasMessageContaining("cannot take its argument");
		assertThat(failure(ref.ask("add", null, Integer.class))).isInstanceOf(ActorMessageRejectedException.class);
		assertThat(failure(ref.ask("echo", "x".repeat(3 * 1024 * 1024), String.class)))
			.isInstanceOf(MessageTooLargeException.class);
		assertThatExceptionOfType(InvalidNameException.class)
			.isThrownBy(() -> actors.create("echo", ActorSpec.id("bad id")));
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> actors.find("bad\nid"));
		assertThat(failure(actors.ref("main", "missing").ask("add", 1, Integer.class)))
			.isInstanceOf(ActorNotFoundException.class);
		assertThat(failure(actors.ref("main", "missing").tell("add", 1))).isInstanceOf(ActorNotFoundException.class);
		ref.tell("nope", null).get(5, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.cli.llen(KEYS + "dead") == 1);
		assertThat(String.valueOf(this.cli.lrange(KEYS + "dead", 0, 0).get(0))).contains("no-handler");
		assertThat(get(ref.ask("add", 1, Integer.class))).isEqualTo(2);
	}

	/**
	 * A node that only calls actors: it knows no actor type of its cluster.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration(io.disker.boot.autoconfigure.DiskerActorAutoConfiguration.class)
	static class CallerOnly {

	}

}
