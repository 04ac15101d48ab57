package io.disker.cluster;

import java.time.Duration;

import io.disker.test.RedisSentinels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failover under load on a real Sentinel setup (a master, a replica, three sentinels)
 * reached through {@code spring.data.redis.sentinel.*}: the master is killed with SIGKILL
 * while producers and a consumer run on a queue. Sends wait for the replica
 * ({@code disker.producer.replicas-ack=1}), so that every confirmed message survives the
 * master.
 */
class SentinelFailoverIntegrationTests {

	private RedisSentinels sentinels;

	private ClusterApps apps;

	@AfterEach
	void close() {
		if (this.apps != null) {
			this.apps.close();
		}
		if (this.sentinels != null) {
			this.sentinels.close();
		}
	}

	@Test
	void consumptionResumesSoonAfterThePromotionAndNothingIsLost() throws Exception {
		this.sentinels = RedisSentinels.start(1);
		this.apps = ClusterApps.sentinel(RedisSentinels.MASTER_NAME, this.sentinels.sentinelNodesProperty());
		// a send is confirmed once the replica holds it too: a master killed with SIGKILL
		// may have answered a send it had not yet passed on, and that message is gone
		// with it (replication is asynchronous)
		ConfigurableApplicationContext app = this.apps.start(Empty.class, "disker.producer.replicas-ack=1");
		FailoverUnderLoad.Result result = new FailoverUnderLoad(app, "orders").run(() -> {
			this.sentinels.killMaster();
			this.sentinels.awaitFailover(Duration.ofSeconds(30));
		}, Duration.ofSeconds(30));
		System.out.println("Sentinel failover under load: " + result);
		assertThat(result.lost()).isZero();
		assertThat(result.resumeSeconds()).isLessThan(15);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
