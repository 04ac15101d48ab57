package io.disker.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisCluster;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While a Cluster master is down and no replica takes over, every node answers
 * {@code CLUSTERDOWN}: the command was not run. A send that meets it is tried again
 * within {@code disker.producer.send-timeout}, and lands once the cluster is whole again,
 * instead of failing at the first refusal.
 */
class SendWhileClusterDownIntegrationTests {

	private static final String QUEUE = "orders";

	private RedisCluster cluster;

	private ClusterApps apps;

	@AfterEach
	void close() {
		if (this.apps != null) {
			this.apps.close();
		}
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void aSendRefusedWithClusterDownIsRetriedAndLandsOnceTheClusterIsWhole() throws Exception {
		this.cluster = RedisCluster.start(3, 0);
		this.apps = ClusterApps.cluster(this.cluster.nodesProperty());
		RequestTemplate template = this.apps.start(Empty.class, "disker.producer.send-timeout=30s")
			.getBean(RequestTemplate.class);
		String ready = "disker:q:{" + QUEUE + "}:ready";
		template.send(QUEUE, "before").get(10, TimeUnit.SECONDS);
		RedisServerProcess queueMaster = this.cluster.masterFor(ready);
		RedisServerProcess other = this.cluster.killMaster(keyOnAnotherMaster(queueMaster));
		try (RedisCli cli = queueMaster.cli()) {
			await().atMost(Duration.ofSeconds(20))
				.until(() -> ((String) cli.command("CLUSTER", "INFO")).contains("cluster_state:fail"));
			CompletableFuture<String> sent = template.send(QUEUE, "while down");
			await().atMost(Duration.ofSeconds(10)).until(() -> sent.isDone() || refusedAtLeast(cli, 2));
			other.restart();
			this.cluster.awaitHealthy(Duration.ofSeconds(30));
			assertThat(sent.get(30, TimeUnit.SECONDS)).isNotEmpty();
			assertThat(cli.llen(ready)).isEqualTo(2);
		}
	}

	private String keyOnAnotherMaster(RedisServerProcess master) {
		for (int i = 0;; i++) {
			String key = "other-" + i;
			if (this.cluster.masterFor(key).port() != master.port()) {
				return key;
			}
		}
	}

	/** Whether the node answered CLUSTERDOWN at least that many times. */
	private static boolean refusedAtLeast(RedisCli cli, int times) {
		String stats = (String) cli.command("INFO", "errorstats");
		for (String line : stats.split("\r?\n")) {
			if (line.startsWith("errorstat_CLUSTERDOWN:count=")) {
				return Integer.parseInt(line.substring(line.indexOf('=') + 1)) >= times;
			}
		}
		return false;
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
