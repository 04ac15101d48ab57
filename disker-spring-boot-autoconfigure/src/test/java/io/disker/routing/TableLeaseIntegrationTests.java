package io.disker.routing;

import java.time.Duration;

import io.disker.boot.autoconfigure.DiskerRoutingAutoConfiguration;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The consistency of routing with cached binding tables: a table is used for at most its
 * lease time after its version was checked, and a change returns only once every lease on
 * the old table ran out, so a send started after a change returned routes with the new
 * table on every instance.
 */
@RedisTest
class TableLeaseIntegrationTests {

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	TableLeaseIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void aChangeReturnsOnlyAfterTheLeaseTimeSoNoInstanceStillRoutesWithTheOldTable() {
		DiskerRouting producer = start().getBean(DiskerRouting.class);
		DiskerRouting admin = start().getBean(DiskerRouting.class);
		producer.bind(new Binding("leased", "k", "old")).join();
		// the producer caches the table: "k" reaches "old"
		producer.send("leased", "k", "before").join();
		long start = System.nanoTime();
		admin.unbind(new Binding("leased", "k", "old")).join();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
		assertThatThrownBy(() -> producer.send("leased", "k", "after").join())
			.hasCauseInstanceOf(UnroutableMessageException.class);
		admin.bind(new Binding("leased", "k", "new")).join();
		producer.send("leased", "k", "after").join();
		try (RedisCli cli = this.redis.cli()) {
			assertThat(cli.llen("disker:q:{old}:ready")).isEqualTo(1);
			assertThat(cli.llen("disker:q:{new}:ready")).isEqualTo(1);
		}
	}

	@Test
	void aBindingThatExistedChangesNothingAndReturnsAtOnce() {
		DiskerRouting admin = start().getBean(DiskerRouting.class);
		admin.bind(new Binding("leased", "k", "q")).join();
		long start = System.nanoTime();
		assertThat(admin.bind(new Binding("leased", "k", "q")).join()).isFalse();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
	}

	@Test
	void aTableChangedBehindAnInstancesBackIsSeenOnceItsLeaseRunsOut() {
		DiskerRouting producer = start().getBean(DiskerRouting.class);
		assertThatThrownBy(() -> producer.send("raw", "k", "x").join())
			.hasCauseInstanceOf(UnroutableMessageException.class);
		try (RedisCli cli = this.redis.cli()) {
			cli.command("SADD", "disker:x:{raw}:bindings", "q k");
			cli.command("INCR", "disker:x:{raw}:version");
		}
		await().ignoreExceptions().untilAsserted(() -> assertThat(producer.send("raw", "k", "x").join()).isNotNull());
		assertThat(this.redis.cli().llen("disker:q:{q}:ready")).isEqualTo(1);
	}

	private ConfigurableApplicationContext start() {
		return this.nodes.start(new Class<?>[] { WithRouting.class }, "disker.routing.table-lease-time=1s");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerRoutingAutoConfiguration.class)
	static class WithRouting {

	}

}
