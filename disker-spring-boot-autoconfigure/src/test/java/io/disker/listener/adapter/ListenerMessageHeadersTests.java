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
	void holdTheMessageHeadersAndTheDiskerOnesButNoGeneratedIdOrTimestamp() {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(Map.of("tenant", "acme"),
				(map) -> map.put(DiskerHeaders.ID, "m-1"));
		assertThat(headers).containsOnly(Map.entry("tenant", "acme"), Map.entry(DiskerHeaders.ID, "m-1"));
		assertThat(headers.getId()).isNull();
		assertThat(headers.getTimestamp()).isNull();
		assertThat(headers).doesNotContainKeys(MessageHeaders.ID, MessageHeaders.TIMESTAMP);
	}

	@Test
	void aDiskerHeaderReplacesAMessageHeaderOfTheSameName() {
		ListenerMessageHeaders headers = new ListenerMessageHeaders(Map.of(DiskerHeaders.QUEUE, "forged"),
				(map) -> map.put(DiskerHeaders.QUEUE, "orders"));
		assertThat(headers.get(DiskerHeaders.QUEUE)).isEqualTo("orders");
	}

}
