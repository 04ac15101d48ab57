package io.disker.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FailoverClientOptions}.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailoverClientOptionsTests {

	@Test
	void clusterWithoutRefreshGetsAdaptiveAndPeriodicRefreshAndSaysSo(CapturedOutput output) {
		ClusterClientOptions options = ClusterClientOptions.builder()
			.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().dynamicRefreshSources(false).build())
			.build();
		ClusterClientOptions result = (ClusterClientOptions) FailoverClientOptions.of(options);
		ClusterTopologyRefreshOptions refresh = result.getTopologyRefreshOptions();
		assertThat(refresh.getAdaptiveRefreshTriggers()).contains(RefreshTrigger.MOVED_REDIRECT,
				RefreshTrigger.PERSISTENT_RECONNECTS, RefreshTrigger.UNKNOWN_NODE);
		assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
		assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(5));
		assertThat(refresh.useDynamicRefreshSources()).isFalse();
		assertThat(FailoverClientOptions.followsFailovers(refresh)).isTrue();
		assertThat(result.getTimeoutOptions().isTimeoutCommands()).isTrue();
		assertThat(output).contains("Disker's Redis Cluster client refreshes its topology");
	}

	@Test
	void lettuceDefaultsGetAPeriodicRefresh() {
		ClusterClientOptions result = (ClusterClientOptions) FailoverClientOptions
			.of(ClusterClientOptions.builder().build());
		assertThat(result.getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
		assertThat(result.getTopologyRefreshOptions().getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void refreshTheApplicationChoseIsKept(CapturedOutput output) {
		ClusterTopologyRefreshOptions own = ClusterTopologyRefreshOptions.builder()
			.disableAllAdaptiveRefreshTriggers()
			.enablePeriodicRefresh(Duration.ofSeconds(3))
			.build();
		ClusterClientOptions result = (ClusterClientOptions) FailoverClientOptions
			.of(ClusterClientOptions.builder().topologyRefreshOptions(own).build());
		assertThat(result.getTopologyRefreshOptions().getAdaptiveRefreshTriggers()).isEmpty();
		assertThat(result.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(3));
		assertThat(output).doesNotContain("Disker's Redis Cluster client").doesNotContain("notices a failover late");
	}

	@Test
	void refreshTooSlowToFollowAFailoverIsWarnedAbout(CapturedOutput output) {
		ClusterTopologyRefreshOptions slow = ClusterTopologyRefreshOptions.builder()
			.enablePeriodicRefresh(Duration.ofMinutes(5))
			.build();
		ClusterClientOptions result = (ClusterClientOptions) FailoverClientOptions
			.of(ClusterClientOptions.builder().topologyRefreshOptions(slow).build());
		assertThat(result.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofMinutes(5));
		assertThat(output).contains("notices a failover late")
			.contains("spring.data.redis.lettuce.cluster.refresh.period=5s");
	}

	@Test
	void commandsTimeOutEvenWhenTheApplicationTurnedThatOff() {
		ClientOptions options = ClientOptions.builder().timeoutOptions(TimeoutOptions.builder().build()).build();
		assertThat(options.getTimeoutOptions().isTimeoutCommands()).isFalse();
		assertThat(FailoverClientOptions.of(options).getTimeoutOptions().isTimeoutCommands()).isTrue();
	}

}
