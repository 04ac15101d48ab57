package io.disker.redis;

import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisBusyState}.
 */
class RedisBusyStateTests {

	@Test
	void clusterAndReplicaStatesAreRecognisedThroughWrappers() {
		assertThat(codeOf("TRYAGAIN Multiple keys request during rehashing of slot")).isEqualTo("TRYAGAIN");
		assertThat(codeOf("CLUSTERDOWN The cluster is down")).isEqualTo("CLUSTERDOWN");
		assertThat(codeOf("MOVED 3999 127.0.0.1:6381")).isEqualTo("MOVED");
		assertThat(codeOf("ASK 3999 127.0.0.1:6381")).isEqualTo("ASK");
		assertThat(codeOf("LOADING Redis is loading the dataset in memory")).isEqualTo("LOADING");
		assertThat(codeOf("MASTERDOWN Link with MASTER is down")).isEqualTo("MASTERDOWN");
		assertThat(codeOf("READONLY You can't write against a read only replica.")).isEqualTo("READONLY");
		RedisBusyState state = RedisBusyState.of(new CompletionException(
				new RedisException("wrapped", new RedisCommandExecutionException("CLUSTERDOWN Hash slot not served"))));
		assertThat(state).isNotNull();
		assertThat(state.description()).contains("failover");
	}

	@Test
	void brokenConnectionsAndOtherErrorsAreNotBusyStates() {
		assertThat(RedisBusyState.of(new RedisConnectionException("Unable to connect to 127.0.0.1:6379"))).isNull();
		assertThat(RedisBusyState.of(new RedisCommandExecutionException("NOPERM this user has no permissions")))
			.isNull();
		assertThat(RedisBusyState.of(new RedisCommandExecutionException("ASKING is not a reply"))).isNull();
		assertThat(RedisBusyState.of(null)).isNull();
	}

	private static String codeOf(String reply) {
		RedisBusyState state = RedisBusyState.of(new RedisCommandExecutionException(reply));
		return (state != null) ? state.code() : null;
	}

}
