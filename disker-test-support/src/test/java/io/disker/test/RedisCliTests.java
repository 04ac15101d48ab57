package io.disker.test;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@RedisTest
class RedisCliTests {

	private final RedisCli cli;

	RedisCliTests(RedisTarget redis) {
		this.cli = redis.cli();
	}

	@BeforeEach
	void flush() {
		this.cli.flushAll();
	}

	@AfterEach
	void close() {
		this.cli.close();
	}

	@Test
	void pushesAndReadsBackBytesThatAreNotUtf8() {
		byte[] invalidUtf8 = { (byte) 0xff, (byte) 0xfe, 0, '\r', '\n', (byte) 0xc3, 0x28, '$', '*' };
		byte[] empty = {};
		assertThat(this.cli.lpushRaw("raw", invalidUtf8, empty)).isEqualTo(2);
		assertThat(this.cli.llen("raw")).isEqualTo(2);
		List<byte[]> elements = this.cli.lrangeRaw("raw", 0, -1);
		assertThat(elements).hasSize(2);
		assertThat(elements.get(0)).isEmpty();
		assertThat(elements.get(1)).containsExactly(invalidUtf8);
	}

	@Test
	void mapsRepliesToJavaTypes() {
		assertThat(this.cli.command("SET", "k", "välue")).isEqualTo("OK");
		assertThat(this.cli.command("GET", "k")).isEqualTo("välue");
		assertThat(this.cli.command("GET", "missing")).isNull();
		assertThat(this.cli.command("INCR", "n")).isEqualTo(1L);
		assertThat(this.cli.command("BLPOP", "missing", "0.01")).isNull();
		this.cli.command("MULTI");
		this.cli.command("INCR", "n");
		this.cli.command("LPUSH", "n", "x");
		List<?> results = (List<?>) this.cli.command("EXEC");
		assertThat(results).hasSize(2);
		assertThat(results.get(0)).isEqualTo(2L);
		assertThat(results.get(1)).isInstanceOf(RedisCliException.class);
	}

	@Test
	void throwsErrorRepliesAndKeepsTheConnectionUsable() {
		assertThatExceptionOfType(RedisCliException.class).isThrownBy(() -> this.cli.command("NO-SUCH-COMMAND"))
			.withMessageStartingWith("ERR");
		this.cli.lpush("list", "x");
		assertThatExceptionOfType(RedisCliException.class).isThrownBy(() -> this.cli.get("list"))
			.withMessageStartingWith("WRONGTYPE");
		assertThat(this.cli.ping()).isEqualTo("PONG");
	}

	@Test
	void convenienceCommands() {
		assertThat(this.cli.lpush("q", "a", "b", "c")).isEqualTo(3);
		assertThat(this.cli.lrange("q", 0, 1)).containsExactly("c", "b");
		this.cli.set("other", "1");
		assertThat(this.cli.dbSize()).isEqualTo(2);
		assertThat(this.cli.keys("q*")).containsExactly("q");
		assertThat(this.cli.info("server")).containsKeys("redis_version", "tcp_port").doesNotContainKey("# Server");
		this.cli.configSet("maxmemory-policy", "noeviction");
		assertThat(this.cli.configGet("maxmemory-policy")).isEqualTo("noeviction");
		assertThat(this.cli.configGet("no-such-parameter")).isNull();
		this.cli.flushAll();
		assertThat(this.cli.dbSize()).isZero();
	}

	@Test
	void aTimedOutConnectionIsClosed(RedisTarget redis) {
		try (RedisCli blocking = redis.cli().timeout(Duration.ofMillis(100))) {
			assertThatExceptionOfType(java.io.UncheckedIOException.class)
				.isThrownBy(() -> blocking.command("BLPOP", "never", "5"));
			assertThatIllegalStateException().isThrownBy(blocking::ping).withMessageContaining("closed");
		}
	}

}
