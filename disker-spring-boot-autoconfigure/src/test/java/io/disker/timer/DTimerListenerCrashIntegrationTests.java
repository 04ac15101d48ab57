package io.disker.timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.disker.test.ChildJvm;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reliability §6 test 11 and DTM-19: a listener node in a child JVM holds unconfirmed
 * events and is killed with SIGKILL.
 * <ul>
 * <li>test 11 {@link #unconfirmedEventsOfAKilledListenerFireAgainElsewhere}: the events
 * it held re-fire on the surviving listener after the confirm timeout; none is lost.</li>
 * <li>DTM-19 (same test): the dead listener stops counting: its consumer lease
 * disappears, and later events all reach the live listener.</li>
 * </ul>
 * The child's lease (4 s) outlasts the confirm timeout (2 s), so that the re-fires come
 * from the timer's retries, not from the queue's lease recovery (which later hands the
 * killed node's originals back to the queue: they are stale copies by then, dropped
 * unhandled, so there is no duplicate).
 */
@RedisTest
class DTimerListenerCrashIntegrationTests {

	private static final String LEASES = "disker:t:{dt}:leases";

	private static final Pattern CLAIMED = Pattern.compile("CLAIMED (\\S+)");

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	private ChildJvm child;

	DTimerListenerCrashIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		if (this.child != null) {
			this.child.close();
		}
		this.nodes.close();
	}

	// reliability §6 test 11, DTM-19
	@Test
	void unconfirmedEventsOfAKilledListenerFireAgainElsewhere() {
		this.child = ChildJvm.builder(TimerListenerMain.class)
			.jvmArg("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-Xshare:auto")
			.systemProperty("spring.data.redis.host", this.redis.host())
			.systemProperty("spring.data.redis.port", Integer.toString(this.redis.port()))
			.systemProperty("disker.listener.lease-time", "4s")
			.systemProperty("disker.listener.sweep-interval", "200ms")
			.systemProperty("disker.listener.receive-timeout", "500ms")
			.systemProperty("disker.timer.confirm-timeout", "2s")
			.systemProperty("disker.timer.max-events", "4")
			.start();
		this.child.awaitOutput("READY", Duration.ofSeconds(30));
		List<String> childLeases;
		try (RedisCli cli = this.redis.cli()) {
			childLeases = (cli.command("ZRANGE", LEASES, "0", "-1") instanceof List<?> members)
					? members.stream().map(String::valueOf).toList() : List.of();
		}
		assertThat(childLeases).isNotEmpty();
		ConfigurableApplicationContext survivor = this.nodes.start(TimerTestApplication.class, "test.node=survivor",
				"disker.timer.confirm-timeout=2s", "disker.timer.auto-join=false");
		DTimer timer = survivor.getBean(DTimer.class);
		TimerRecorder recorder = survivor.getBean(TimerRecorder.class);
		List<TimerPost<?>> posts = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			posts.add(TimerPost.of(Map.of("n", i)).id("held-" + i).maxRetries(3));
		}
		timer.postAll(posts);
		await().atMost(Duration.ofSeconds(5)).until(() -> claimed().size() == 4);
		this.child.kill();
		timer.join();
		long killed = System.nanoTime();
		// re-fired within the confirm timeout (+ margin), from the timer's retries
		await().atMost(Duration.ofSeconds(4)).until(() -> recorder.all().size() >= 4);
		assertThat(recorder.all()).extracting(TimerRecorder.Received::id)
			.containsExactlyInAnyOrderElementsOf(claimed());
		assertThat(recorder.all()).allSatisfy((received) -> {
			assertThat(received.node()).isEqualTo("survivor");
			assertThat(received.numRetries()).isEqualTo(1);
			assertThat(received.firedAtMillis()).isGreaterThanOrEqualTo(received.dueAt().toEpochMilli());
		});
		assertThat((System.nanoTime() - killed) / 1_000_000).isLessThan(4000);
		// confirmed by returning: nothing is left awaiting confirmation
		await().atMost(Duration.ofSeconds(2))
			.until(() -> timer.upcoming().isEmpty()
					&& claimed().stream().allMatch((id) -> timer.peek(id, Map.class).isEmpty()));
		// DTM-19: the dead listener's lease goes away; later events reach the live
		// listener
		try (RedisCli cli = this.redis.cli()) {
			await().atMost(Duration.ofSeconds(8)).until(() -> childLeases.stream().allMatch((member) -> {
				Object score = cli.command("ZSCORE", LEASES, member);
				return score == null || String.valueOf(score).startsWith("-");
			}));
		}
		String later = timer.post(Map.of("msg", "later"), Duration.ZERO);
		await().atMost(Duration.ofSeconds(2)).until(() -> recorder.count(later) == 1);
		// the killed node's originals, recovered with its lease, are stale copies:
		// dropped unhandled
		assertThat(recorder.all().size() - 1).isEqualTo(4);
	}

	private List<String> claimed() {
		List<String> ids = new ArrayList<>();
		Matcher matcher = CLAIMED.matcher(String.join("\n", this.child.output()));
		while (matcher.find()) {
			ids.add(matcher.group(1));
		}
		return ids;
	}

}
