package io.disker.queue.support;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerScript;
import io.disker.redis.ScriptRunner;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parking an idle consumer's lease, and taking a new one in the fetch that follows,
 * against a real Redis.
 */
@RedisTest
class ParkScriptIntegrationTests {

	private static final String READY = "disker:q:{park}:ready";

	private static final String LEASES = "disker:q:{park}:leases";

	private static final String RECOVERIES = "disker:q:{park}:recoveries";

	private static final long IDLE_LEASE = 20_000;

	private final RedisTarget redis;

	private RedisClient client;

	private DiskerConnections connections;

	private ScriptRunner scripts;

	ParkScriptIntegrationTests(RedisTarget redis) {
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
	void parkingMakesTheLeaseAnIdleLeaseAndPutsBackWhatTheListStillHolds() throws Exception {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ZADD", LEASES, "1000", "c.1");
			// a fetch whose reply was lost left two messages, m1 taken first
			cli.lpush(proc("c.1"), "m1");
			cli.lpush(proc("c.1"), "m2");
			cli.lpush(READY, "m3");
			long before = redisMillis(cli);
			assertThat(park("c.1")).isEqualTo(2L);
			assertThat(leaseOf(cli, "c.1")).isBetween(before + IDLE_LEASE, redisMillis(cli) + IDLE_LEASE);
			assertThat(cli.keys(proc("c.1"))).isEmpty();
			// back at the head of the queue, oldest first out
			assertThat(cli.command("LRANGE", READY, "0", "-1")).isEqualTo(List.of("m3", "m2", "m1"));
		}
	}

	@Test
	void aRevokedOrMissingLeaseIsNotParked() throws Exception {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ZADD", LEASES, "-5", "c.1");
			cli.lpush(proc("c.1"), "late");
			assertThat(park("c.1")).isEqualTo(-1L);
			assertThat(park("missing.1")).isEqualTo(-1L);
			assertThat(cli.command("ZSCORE", LEASES, "c.1")).isEqualTo("-5");
			assertThat(cli.command("ZCARD", LEASES)).isEqualTo(1L);
			assertThat(cli.command("LRANGE", proc("c.1"), "0", "-1")).isEqualTo(List.of("late"));
		}
	}

	@Test
	void aFetchTakesTheNormalLeaseBackButNeverRevivesARevokedOne() throws Exception {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ZADD", LEASES, "1000", "c.2");
			park("c.2");
			cli.lpush(READY, "m1");
			List<Object> taken = fetch("c.2", "2000");
			assertThat(taken).hasSize(3);
			assertThat(new String((byte[]) taken.get(2))).isEqualTo("m1");
			assertThat(leaseOf(cli, "c.2")).isEqualTo((Long) taken.get(0) + 2000);

			cli.command("ZADD", LEASES, "-5", "c.3");
			assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> fetch("c.3", "2000"))
				.withMessageContaining("DISKER_LEASE_LOST");
			assertThatExceptionOfType(RedisCommandExecutionException.class).isThrownBy(() -> fetch("c.4", "2000"))
				.withMessageContaining("DISKER_LEASE_LOST");
			assertThat(cli.command("ZSCORE", LEASES, "c.3")).isEqualTo("-5");
			assertThat(cli.command("ZSCORE", LEASES, "c.4")).isNull();
		}
	}

	@Test
	void aRenewalRacingAParkingNeverShortensTheIdleLease() throws Exception {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("ZADD", LEASES, "1000", "c.5");
			park("c.5");
			long idle = leaseOf(cli, "c.5");
			List<Object> renewed = this.scripts
				.<List<Object>>run(DiskerScript.RENEW, ScriptOutputType.MULTI, new String[] { LEASES },
						ScriptRunner.arg(2000), ScriptRunner.arg("c.5"))
				.get(10, TimeUnit.SECONDS);
			assertThat(renewed).hasSize(2).as("not reported lost");
			assertThat(leaseOf(cli, "c.5")).isEqualTo(idle);
		}
	}

	private static long leaseOf(RedisCli cli, String consumer) {
		return (long) Double.parseDouble((String) cli.command("ZSCORE", LEASES, consumer));
	}

	@SuppressWarnings("unchecked")
	private static long redisMillis(RedisCli cli) {
		List<String> time = (List<String>) cli.command("TIME");
		return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
	}

	private long park(String consumer) throws Exception {
		Long moved = this.scripts
			.<Long>run(DiskerScript.PARK, ScriptOutputType.INTEGER, new String[] { proc(consumer), READY, LEASES },
					ScriptRunner.arg(consumer), ScriptRunner.arg(IDLE_LEASE))
			.get(10, TimeUnit.SECONDS);
		return moved;
	}

	private List<Object> fetch(String consumer, String leaseMillis) throws Exception {
		byte[][] args = (leaseMillis != null)
				? new byte[][] { ScriptRunner.arg(10), ScriptRunner.arg(consumer), ScriptRunner.arg(leaseMillis) }
				: new byte[][] { ScriptRunner.arg(10), ScriptRunner.arg(consumer) };
		try {
			return this.scripts
				.<List<Object>>run(DiskerScript.FETCH, ScriptOutputType.MULTI,
						new String[] { READY, proc(consumer), LEASES, RECOVERIES }, args)
				.get(10, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (RuntimeException) ex.getCause();
		}
	}

	private static String proc(String consumer) {
		return "disker:q:{park}:proc:" + consumer;
	}

}
