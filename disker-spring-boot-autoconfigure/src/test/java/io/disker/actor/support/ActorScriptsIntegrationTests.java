package io.disker.actor.support;

import java.time.Duration;
import java.util.List;

import io.disker.redis.DiskerConnections;
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
 * The fencing rules of the actor scripts, one call at a time: a lapsed lease is never
 * renewed, lapsed members are never chosen, and a stale incarnation's replies and updates
 * are refused.
 */
@RedisTest
class ActorScriptsIntegrationTests {

	private static final String BASE = "disker:a:{main}:";

	private final RedisTarget redis;

	private RedisClient client;

	private DiskerConnections connections;

	private ActorRedis actors;

	private RedisCli cli;

	ActorScriptsIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeEach
	void connect() {
		this.redis.flushAll();
		this.client = RedisClient.create(this.redis.uri());
		this.connections = new DiskerConnections(this.client);
		this.actors = new ActorRedis(this.connections, new ScriptRunner(this.connections),
				ActorKeys.of("disker", "main"), Duration.ofSeconds(5), 100);
		this.cli = this.redis.cli();
	}

	@AfterEach
	void close() {
		this.cli.close();
		this.connections.destroy();
		this.client.shutdown();
	}

	private void register(String member, long leaseMillis) {
		this.actors.sync(ActorScript.REGISTER, ScriptOutputType.INTEGER, new String[] { BASE + "nodes", BASE + "load" },
				ScriptRunner.arg(member), ScriptRunner.arg(leaseMillis));
	}

	private long renew(String member) {
		return this.actors.<Long>sync(ActorScript.RENEW, ScriptOutputType.INTEGER, new String[] { BASE + "nodes" },
				ScriptRunner.arg(member), ScriptRunner.arg(10_000));
	}

	private List<Object> create(String id) {
		return this.actors.sync(ActorScript.CREATE, ScriptOutputType.MULTI, new String[] { BASE + "nodes" },
				ScriptRunner.arg(BASE), ScriptRunner.arg(id), ScriptRunner.arg("echo"), ScriptRunner.arg("{}"),
				ScriptRunner.arg(1), ScriptRunner.arg(1));
	}

	private long reply(String member, String id, long token) {
		return this.actors.await(this.actors.reply(member, id, token, "caller", new byte[] { 'r', '\n', '{', '}' },
				Duration.ofMinutes(1)));
	}

	@Test
	void aLapsedLeaseIsNeverRenewedAndItsMemberNeverChosen() {
		register("alive", 10_000);
		register("lapsed", 10_000);
		this.cli.command("ZADD", BASE + "nodes", "1", "lapsed");
		this.cli.command("ZADD", BASE + "load", "-100", "lapsed");
		assertThat(renew("lapsed")).isZero();
		assertThat(renew("alive")).isOne();
		assertThat(new String((byte[]) create("a1").get(3))).isEqualTo("alive");
		assertThat(renew("unknown")).isZero();
	}

	@Test
	void staleIncarnationRepliesAndUpdatesAreRefused() {
		register("m1", 10_000);
		create("a1");
		long token = Long.parseLong((String) this.cli.command("HGET", BASE + "actor:a1", "token"));
		assertThat(reply("m1", "a1", token - 1)).as("older token").isZero();
		assertThat(reply("m2", "a1", token)).as("another member").isZero();
		assertThat(reply("m1", "a1", token)).isOne();
		assertThat(this.cli.llen(BASE + "in:caller")).isOne();
		assertThat(this.actors.await(this.actors.update("a1", "m1", token - 1, "load", 7))).isZero();
		assertThat(this.cli.command("ZSCORE", BASE + "load", "m1")).isEqualTo("1");

		// m1's lease lapses and a sweep evicts it: the recoverable actor waits, its old
		// incarnation is refused, and a new member gets a new incarnation
		this.cli.command("ZADD", BASE + "nodes", "1", "m1");
		this.actors.sweep("");
		assertThat(this.cli.command("HGET", BASE + "actor:a1", "host")).isEqualTo("");
		assertThat(reply("m1", "a1", token)).isZero();
		register("m2", 10_000);
		this.actors.sweep("");
		assertThat(this.cli.command("HGET", BASE + "actor:a1", "host")).isEqualTo("m2");
		long next = Long.parseLong((String) this.cli.command("HGET", BASE + "actor:a1", "token"));
		assertThat(next).isGreaterThan(token);
		assertThat(reply("m1", "a1", token)).isZero();
		assertThat(reply("m2", "a1", next)).isOne();
		assertThat(this.actors.await(this.actors.update("a1", "m1", token, "destroy", 0))).isZero();
		assertThat(this.cli.command("EXISTS", BASE + "actor:a1")).isEqualTo(1L);
	}

}
