package io.disker.queue.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerScript;
import io.disker.redis.ScriptRunner;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acknowledgement script against a real Redis. It cuts the run of acknowledged
 * messages at the tail of the processing list in one command and looks for the others one
 * by one; whatever the order, the result must be what removing each acknowledged message
 * from the tail end, one after the other, gives.
 */
@RedisTest
class AckScriptIntegrationTests {

	private static final String PROCESSING = "disker:q:{acks}:proc:c1";

	private static final String RECOVERIES = "disker:q:{acks}:recoveries";

	private final RedisTarget redis;

	private RedisClient client;

	private DiskerConnections connections;

	private ScriptRunner scripts;

	AckScriptIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeEach
	void connect() {
		this.redis.flushAll();
		this.client = RedisClient.create(this.redis.uri());
		this.connections = new DiskerConnections(this.client);
		this.scripts = new ScriptRunner(this.connections);
	}

	@AfterEach
	void disconnect() {
		this.connections.destroy();
		this.client.shutdown();
	}

	@Test
	void oldestMessagesAcknowledgedInAnyOrderAreCutFromTheTail() throws Exception {
		// fetched m1 first: the list reads m5 m4 m3 m2 m1 from head to tail
		hold("m1", "m2", "m3", "m4", "m5");
		assertThat(ack("m2", "m1", "m3")).isEmpty();
		assertThat(held()).containsExactly("m5", "m4");
	}

	@Test
	void messagesAwayFromTheTailAreRemovedWithoutDisturbingTheOthers() throws Exception {
		hold("m1", "m2", "m3", "m4", "m5");
		assertThat(ack("m4", "m1", "m2")).isEmpty();
		assertThat(held()).containsExactly("m5", "m3");
	}

	@Test
	void messagesNoLongerHeldAreReportedByPosition() throws Exception {
		hold("m1", "m2", "m3");
		assertThat(ack("gone-1", "m1", "gone-2", "m3")).containsExactly(1L, 3L);
		assertThat(held()).containsExactly("m2");
	}

	@Test
	void aMessageHeldTwiceLosesOneCopyPerAcknowledgement() throws Exception {
		hold("m1", "twin", "m2", "twin");
		// the copy nearer the tail goes first
		assertThat(ack("twin")).isEmpty();
		assertThat(held()).containsExactly("twin", "m2", "m1");
		assertThat(ack("twin", "twin")).containsExactly(2L);
		assertThat(held()).containsExactly("m2", "m1");
	}

	@Test
	void anEmptyBatchChangesNothing() throws Exception {
		hold("m1", "m2");
		assertThat(ack()).isEmpty();
		assertThat(held()).containsExactly("m2", "m1");
	}

	@Test
	void acknowledgedMessagesLeaveTheRecoveries() throws Exception {
		hold("m1", "m2", "m3");
		try (RedisCli cli = this.redis.cli()) {
			for (String message : List.of("m1", "m2", "m3")) {
				cli.command("HSET", RECOVERIES, sha1(message), "consumer-0");
			}
		}
		assertThat(ack("m1", "m3")).isEmpty();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.command("HKEYS", RECOVERIES)).isEqualTo(List.of(sha1("m2")));
		}
	}

	@Test
	void anyBatchLeavesWhatRemovingOneMessageAfterTheOtherFromTheTailLeaves() throws Exception {
		Random random = new Random(42);
		for (int round = 0; round < 300; round++) {
			this.redis.flushAll();
			int size = random.nextInt(12);
			List<String> fetched = new ArrayList<>();
			for (int i = 0; i < size; i++) {
				// few distinct values, so that copies of one message occur
				fetched.add("m" + random.nextInt(6));
			}
			List<String> batch = new ArrayList<>();
			int acks = 1 + random.nextInt(8);
			for (int i = 0; i < acks; i++) {
				boolean inOrder = random.nextBoolean() && i < fetched.size();
				batch.add(inOrder ? fetched.get(i) : "m" + random.nextInt(8));
			}
			if (!fetched.isEmpty()) {
				hold(fetched.toArray(String[]::new));
			}
			List<String> expected = new ArrayList<>(held());
			List<Long> expectedStale = new ArrayList<>();
			for (int i = 0; i < batch.size(); i++) {
				int tailMost = expected.lastIndexOf(batch.get(i));
				if (tailMost < 0) {
					expectedStale.add((long) i + 1);
				}
				else {
					expected.remove(tailMost);
				}
			}
			String scenario = "fetched " + fetched + ", acknowledged " + batch;
			assertThat(ack(batch.toArray(String[]::new))).as(scenario).isEqualTo(expectedStale);
			assertThat(held()).as(scenario).isEqualTo(expected);
		}
	}

	private void hold(String... fetchedInOrder) {
		try (RedisCli cli = this.redis.cli()) {
			cli.lpush(PROCESSING, fetchedInOrder);
		}
	}

	private List<String> held() {
		try (RedisCli cli = this.redis.cli()) {
			return cli.lrange(PROCESSING, 0, -1);
		}
	}

	private List<Long> ack(String... messages) throws Exception {
		byte[][] args = new byte[messages.length][];
		for (int i = 0; i < messages.length; i++) {
			args[i] = messages[i].getBytes(StandardCharsets.UTF_8);
		}
		return this.scripts
			.<List<Long>>run(DiskerScript.ACK, ScriptOutputType.MULTI, new String[] { PROCESSING, RECOVERIES }, args)
			.get(10, TimeUnit.SECONDS);
	}

	private static String sha1(String message) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-1").digest(message.getBytes(StandardCharsets.UTF_8));
		return HexFormat.of().formatHex(digest);
	}

}
