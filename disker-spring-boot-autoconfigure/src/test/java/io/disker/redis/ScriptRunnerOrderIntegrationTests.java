package io.disker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
 * Scripts issued one after another on the shared connection run in that order, also on a
 * Redis that does not know them yet (restarted, or its script cache flushed): every
 * script is loaded ahead of the first one run, and again after a {@code NOSCRIPT}.
 */
@RedisTest
class ScriptRunnerOrderIntegrationTests {

	private static final String ALIVE = "disker:r:{order}:alive";

	private static final String INBOX = "disker:r:{order}:inbox";

	private final RedisTarget redis;

	private RedisClient client;

	private DiskerConnections connections;

	ScriptRunnerOrderIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeEach
	void connect() {
		this.redis.flushAll();
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SET", ALIVE, "1", "PX", "60000");
		}
		this.client = RedisClient.create(this.redis.uri());
		this.connections = new DiskerConnections(this.client);
	}

	@AfterEach
	void close() {
		this.connections.destroy();
		this.client.shutdown();
	}

	@Test
	void everyScriptIsLoadedAheadOfTheFirstOneRun() throws Exception {
		ScriptRunner scripts = new ScriptRunner(this.connections);
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SCRIPT", "FLUSH");
			runReply(scripts, "first");
			assertThat(loaded(cli)).containsOnly((Object) 1L).hasSize(DiskerScript.values().length);
		}
	}

	@Test
	void aRedisThatForgotTheScriptsGetsThemAllAgain() throws Exception {
		ScriptRunner scripts = new ScriptRunner(this.connections);
		try (RedisCli cli = this.redis.cli()) {
			runReply(scripts, "before");
			cli.command("SCRIPT", "FLUSH");
			// answered NOSCRIPT, then run with EVAL: the next run loads them all
			runReply(scripts, "refused");
			runReply(scripts, "after");
			assertThat(loaded(cli)).containsOnly((Object) 1L);
			assertThat(cli.lrange(INBOX, 0, -1)).containsExactly("after", "refused", "before");
		}
	}

	@Test
	void scriptsRunInTheOrderIssuedOnARedisThatDoesNotKnowThem() throws Exception {
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SCRIPT", "FLUSH");
		}
		ScriptRunner scripts = new ScriptRunner(this.connections);
		List<CompletableFuture<Long>> replies = new ArrayList<>();
		List<String> issued = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			issued.add(0, "reply-" + i);
			replies.add(scripts.run(DiskerScript.REPLY, ScriptOutputType.INTEGER, new String[] { ALIVE, INBOX },
					ScriptRunner.arg("reply-" + i)));
		}
		CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
		try (RedisCli cli = this.redis.cli()) {
			// each reply is pushed at the head
			assertThat(cli.lrange(INBOX, 0, -1)).containsExactlyElementsOf(issued);
		}
	}

	private static void runReply(ScriptRunner scripts, String reply) throws Exception {
		scripts
			.run(DiskerScript.REPLY, ScriptOutputType.INTEGER, new String[] { ALIVE, INBOX }, ScriptRunner.arg(reply))
			.get(10, TimeUnit.SECONDS);
	}

	private static List<Object> loaded(RedisCli cli) {
		List<String> command = new ArrayList<>(List.of("SCRIPT", "EXISTS"));
		for (DiskerScript script : DiskerScript.values()) {
			command.add(script.sha());
		}
		return List.copyOf((List<?>) cli.command(command.toArray(new String[0])));
	}

}
