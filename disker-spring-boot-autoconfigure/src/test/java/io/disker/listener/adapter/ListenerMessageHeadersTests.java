package io.disker.listener.adapter;

import java.util.Map;

import io.disker.core.DiskerHeaders;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ListenerMessageHeaders}.
 */
class ListenerMessageHeadersTests {

	@Test
	void holdTheMessageHeadersAndTheAddedOnesButNoGeneratedIdOrTimestamp() {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(Map.of("tenant", "acme"))
			.with(DiskerHeaders.ID, "m-1")
			.with(DiskerHeaders.TASK, null);
		assertThat(headers).containsOnly(Map.entry("tenant", "acme"), Map.entry(DiskerHeaders.ID, "m-1"));
		assertThat(headers.getId()).isNull();
		assertThat(headers.getTimestamp()).isNull();
		assertThat(headers).doesNotContainKeys(MessageHeaders.ID, MessageHeaders.TIMESTAMP);
	}

	@Test
	void anAddedHeaderReplacesAMessageHeaderOfTheSameName() {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(Map.of(DiskerHeaders.QUEUE, "forged"))
			.with(DiskerHeaders.QUEUE, "orders");
		assertThat(headers.get(DiskerHeaders.QUEUE)).isEqualTo("orders");
	}

}
