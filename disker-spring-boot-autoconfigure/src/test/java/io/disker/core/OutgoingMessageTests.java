package io.disker.core;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Every option of the message builder is checked where it is set, so a mistake surfaces
 * at the line that made it, before anything reaches Redis.
 */
class OutgoingMessageTests {

	@Test
	void validOptionsAreKept() {
		OutgoingMessage<String> message = DiskerMessage.to("orders")
			.from("shop")
			.task("ship")
			.id("o-1")
			.header("tenant", "acme")
			.timeout(Duration.ofSeconds(5))
			.delay(Duration.ofSeconds(1))
			.payload("x")
			.build();
		assertThat(message.queue()).isEqualTo("orders");
		assertThat(message.sender()).isEqualTo("shop");
		assertThat(message.headers()).containsEntry("tenant", "acme");
		assertThat(message.delay()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void queueAndSenderNamesFollowTheNameRule() {
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> DiskerMessage.to("bad name"))
			.withMessageContaining("queue");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to(""))
			.withMessage("'queue' must not be empty");
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> DiskerMessage.to("orders").from("a/b"))
			.withMessageContaining("sender");
	}

	@Test
	void idsTasksAndHeadersAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").id(""));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").id("x".repeat(257)))
			.withMessageContaining("256");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").task(" "));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").task("t".repeat(129)));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").header("disker_id", "forged"))
			.withMessageContaining("reserved");
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").header("h", null));
	}

	@Test
	void timesAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").timeout(Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").timeout(Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").timeout(null));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").delay(Duration.ofMillis(-1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DiskerMessage.to("q").delay(OutgoingMessage.MAX_DELAY.plusDays(1)))
			.withMessageContaining("36500 days");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DiskerMessage.to("q").timeout(Duration.ofSeconds(Long.MAX_VALUE)));
		assertThatIllegalArgumentException().isThrownBy(() -> DiskerMessage.to("q").deliverAt((Instant) null));
	}

}
