package io.disker.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class RedisTargetTests {

	@Test
	void parsesAnExternalUrl() {
		RedisTarget target = RedisTarget.external("redis://127.0.0.2:6390");
		assertThat(target.host()).isEqualTo("127.0.0.2");
		assertThat(target.port()).isEqualTo(6390);
		assertThat(target.uri()).isEqualTo("redis://127.0.0.2:6390");
		assertThat(target.isOwned()).isFalse();
		assertThat(RedisTarget.external("redis://localhost").port()).isEqualTo(6379);
	}

	@Test
	void rejectsUrlsItCannotHonour() {
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTarget.external("http://localhost:6379"));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTarget.external("redis://:secret@localhost:6379"));
		assertThatIllegalArgumentException().isThrownBy(() -> RedisTarget.external("not a url"));
	}

	@Test
	void refusesToHandOutAnExternalServersProcess() {
		RedisTarget target = RedisTarget.external("redis://127.0.0.1:6379");
		assertThatIllegalStateException().isThrownBy(target::process)
			.withMessageContaining("never touch a server they did not start");
		target.close();
	}

	@Test
	void closingAnOwnedTargetStopsItsServer() {
		RedisServerProcess process = RedisServerProcess.start();
		RedisTarget target = RedisTarget.owned(process);
		assertThat(target.isOwned()).isTrue();
		assertThat(target.process()).isSameAs(process);
		assertThat(target.uri()).isEqualTo(process.uri());
		target.close();
		assertThat(process.isRunning()).isFalse();
	}

}
