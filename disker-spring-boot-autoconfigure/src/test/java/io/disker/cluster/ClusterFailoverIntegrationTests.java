package io.disker.cluster;

import java.time.Duration;

import io.disker.test.RedisCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover under load on a real 3-master Redis Cluster with a replica each: the master
 * holding a queue is killed with SIGKILL while producers and a consumer run on it. Sends
 * wait for a replica ({@code disker.producer.replicas-ack=1}), so that every confirmed
 * message survives the master.
 */
class ClusterFailoverIntegrationTests {

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
	void consumptionResumesSoonAfterThePromotionAndNothingIsLost() throws Exception {
		this.cluster = RedisCluster.start(3, 1);
		this.apps = ClusterApps.cluster(this.cluster.nodesProperty());
		// a send is confirmed once a replica holds it too: a master killed with SIGKILL
		// may have answered a send it had not yet passed on, and that message is gone
		// with it (replication is asynchronous)
		ConfigurableApplicationContext app = this.apps.start(Empty.class, "disker.producer.replicas-ack=1");
		String key = "disker:q:{" + QUEUE + "}:ready";
		FailoverUnderLoad.Result result = new FailoverUnderLoad(app, QUEUE).run(() -> {
			this.cluster.killMaster(key);
			this.cluster.awaitPromotion(key, Duration.ofSeconds(30));
		}, Duration.ofSeconds(30));
		System.out.println("Cluster failover under load: " + result);
		assertThat(result.lost()).isZero();
		assertThat(result.resumeSeconds()).isLessThan(15);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
