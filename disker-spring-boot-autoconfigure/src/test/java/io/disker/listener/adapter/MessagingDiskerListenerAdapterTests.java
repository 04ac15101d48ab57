package io.disker.listener.adapter;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.disker.core.DiskerHeaders;
import io.disker.core.DiskerMessage;
import io.disker.core.support.MessageCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link MessagingDiskerListenerAdapter}: each kind of listener parameter
 * receives what it did when the headers were built for every message, and the headers are
 * built only for parameters that read them. No Redis involved.
 */
class MessagingDiskerListenerAdapterTests {

	private final DefaultMessageHandlerMethodFactory factory = DiskerMessageHandlerMethodFactory
		.create(new MessageCodec(JsonMapper.builder().build(), DataSize.ofKilobytes(64)));

	private final Listener listener = new Listener();

	private final DiskerMessage<JsonNode> message = DiskerMessage.<JsonNode>envelope("m-1", "orders")
		.task("resize")
		.replyTo("inbox-1")
		.payload(StringNode.valueOf("hello"))
		.headers(Map.of("tenant", "acme", DiskerHeaders.QUEUE, "forged"))
		.createdAt(Instant.ofEpochMilli(1_700_000_000_123L))
		.attempt(2)
		.build();

	@Test
	void payloadParameterDoesNotBuildTheHeaders() throws Exception {
		ListenerMessage request = invoke("payload");
		assertThat(this.listener.received).containsExactly("hello");
		assertThat(request.hasHeaders()).isFalse();
	}

	@Test
	void diskerMessageParameterDoesNotBuildTheHeaders() throws Exception {
		ListenerMessage request = invoke("diskerMessage");
		assertThat(this.listener.received).containsExactly(this.message.withPayload("hello"));
		assertThat(request.hasHeaders()).isFalse();
		invoke("diskerTree");
		assertThat(this.listener.received).last().isSameAs(this.message);
	}

	@Test
	void headerParametersSeeTheEnvelopeFieldsAndTheUserHeaders() throws Exception {
		ListenerMessage request = invoke("header");
		assertThat(this.listener.received).containsExactly("hello", "acme", 2, "orders", "resize",
				Instant.ofEpochMilli(1_700_000_000_123L), null);
		assertThat(request.hasHeaders()).isTrue();
	}

	@Test
	void headersParametersSeeEveryHeader() throws Exception {
		invoke("headers");
		@SuppressWarnings("unchecked")
		Map<String, Object> map = (Map<String, Object>) this.listener.received.get(0);
		assertThat(this.listener.received.get(1)).isSameAs(map);
		assertThat(map).containsOnly(entry("tenant", "acme"), entry(DiskerHeaders.ID, "m-1"),
				entry(DiskerHeaders.QUEUE, "orders"), entry(DiskerHeaders.TASK, "resize"),
				entry(DiskerHeaders.REPLY_TO, "inbox-1"),
				entry(DiskerHeaders.CREATED_AT, Instant.ofEpochMilli(1_700_000_000_123L)),
				entry(DiskerHeaders.ATTEMPT, 2), entry(DiskerHeaders.MESSAGE, this.message));
		assertThat(map).isInstanceOf(ListenerMessageHeaders.class);
	}

	@Test
	void messageParametersGetThePayloadAndTheHeaders() throws Exception {
		ListenerMessage request = invoke("messages");
		assertThat(this.listener.received).containsExactly(request, request);
		assertThat(request.getPayload()).isEqualTo(StringNode.valueOf("hello"));
		assertThat(request.getHeaders()).containsEntry("tenant", "acme").containsEntry(DiskerHeaders.ATTEMPT, 2);
	}

	@Test
	void typedMessageParametersGetTheirPayloadConverted() throws Exception {
		invoke("typedMessages");
		@SuppressWarnings("unchecked")
		Message<String> text = (Message<String>) this.listener.received.get(0);
		assertThat(text.getPayload()).isEqualTo("hello");
		assertThat(text.getHeaders()).containsEntry("tenant", "acme");
	}

	@Test
	void listenerMessageBuildsItsHeadersOnceAndComparesAsAMessage() {
		ListenerMessage request = new ListenerMessage(this.message);
		MessageHeaders headers = request.getHeaders();
		assertThat(request.getHeaders()).isSameAs(headers);
		assertThat(headers.getId()).isNull();
		assertThat(headers.getTimestamp()).isNull();
		ListenerMessage same = new ListenerMessage(this.message);
		assertThat(request).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(request).isNotEqualTo(new ListenerMessage(this.message.nextAttempt()));
		assertThat(request.toString()).startsWith("ListenerMessage [payload=\"hello\", headers={")
			.contains("tenant=acme");
		assertThat(new ListenerMessage(this.message.withPayload(null)).getPayload().isNull()).isTrue();
	}

	private ListenerMessage invoke(String methodName) throws Exception {
		Method method = ReflectionUtils.findMethod(Listener.class, methodName, (Class<?>[]) null);
		ListenerMessage request = (ListenerMessage) MessagingDiskerListenerAdapter.toMessage(this.message);
		this.factory.createInvocableHandlerMethod(this.listener, method).invoke(request);
		return request;
	}

	static class Listener {

		final List<@Nullable Object> received = new ArrayList<>();

		void payload(String text) {
			this.received.add(text);
		}

		void diskerMessage(DiskerMessage<String> message) {
			this.received.add(message);
		}

		void diskerTree(DiskerMessage<JsonNode> message) {
			this.received.add(message);
		}

		void header(@Payload String text, @Header("tenant") String tenant, @Header(DiskerHeaders.ATTEMPT) int attempt,
				@Header(DiskerHeaders.QUEUE) String queue, @Header(DiskerHeaders.TASK) String task,
				@Header(DiskerHeaders.CREATED_AT) Instant createdAt,
				@Header(name = DiskerHeaders.SENDER, required = false) @Nullable String sender) {
			this.received.addAll(java.util.Arrays.asList(text, tenant, attempt, queue, task, createdAt, sender));
		}

		void headers(@Headers Map<String, Object> map, MessageHeaders headers) {
			this.received.add(map);
			this.received.add(headers);
		}

		void typedMessages(Message<String> text) {
			this.received.add(text);
		}

		void messages(Message<JsonNode> tree, Message<?> any) {
			this.received.add(tree);
			this.received.add(any);
		}

	}

}
