package io.disker.control;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import io.disker.core.DiskerNames;
import io.disker.core.support.MessageCodec;
import io.disker.redis.DiskerConnections;
import io.disker.redis.DiskerKeys;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.log.LogAccessor;
import org.springframework.util.Assert;

/**
 * A side channel between named parties (the Disker seed's {@code ControlChannel}):
 * {@link #publish} reaches every handler currently subscribed to the receiver's name, on
 * any instance, at most once; nothing is stored, so a party that is not subscribed at
 * that moment never sees it. Use it for signals (reload, pause, ping); use queues for
 * work. Channels live under the key prefix ({@code disker:ctl:<name>}); Lettuce
 * subscribes again after a reconnect. Handlers run on Disker's container executor.
 *
 * @author Disker team
 * @since 0.1.0
 */
public class ControlChannel implements DisposableBean {

	private static final LogAccessor logger = new LogAccessor(ControlChannel.class);

	private final DiskerConnections connections;

	private final DiskerKeys keys;

	private final MessageCodec codec;

	private final Executor executor;

	private final Map<String, CopyOnWriteArrayList<Consumer<ControlMessage>>> handlers = new ConcurrentHashMap<>();

	private @Nullable StatefulRedisPubSubConnection<String, String> connection;

	/**
	 * Create a control channel.
	 * @param connections the Redis connections
	 * @param keys the key prefix
	 * @param codec the codec (its mapper writes and reads the messages, its size limit
	 * applies)
	 * @param executor runs the handlers
	 */
	public ControlChannel(DiskerConnections connections, DiskerKeys keys, MessageCodec codec, Executor executor) {
		this.connections = connections;
		this.keys = keys;
		this.codec = codec;
		this.executor = executor;
	}

	/**
	 * Publish a message to the parties subscribed to a name.
	 * @param sender the publisher's name
	 * @param receiver the receiver's name
	 * @param content the content (serializable as JSON)
	 * @return completes with how many subscriptions (connections) received it
	 */
	public CompletableFuture<Long> publish(String sender, String receiver, @Nullable Object content) {
		DiskerNames.validate("sender", sender);
		DiskerNames.validate("receiver", receiver);
		ObjectNode message = this.codec.getMapper().createObjectNode();
		message.put("sender", sender);
		message.put("receiver", receiver);
		message.set("content", this.codec.getMapper().valueToTree(content));
		byte[] body = this.codec.getMapper().writeValueAsBytes(message);
		if (body.length > this.codec.getMaxSize().toBytes()) {
			throw new IllegalArgumentException("Control message of " + body.length + " bytes is over the limit of "
					+ this.codec.getMaxSize().toBytes() + " bytes (disker.max-message-size)");
		}
		return this.connections.async().publish(channel(receiver), body).toCompletableFuture();
	}

	/**
	 * Subscribe a handler to a name.
	 * @param name the name whose messages the handler receives
	 * @param handler the handler
	 * @return completes with the subscription once Redis confirmed it; close it to
	 * unsubscribe
	 */
	public CompletableFuture<AutoCloseable> subscribe(String name, Consumer<ControlMessage> handler) {
		DiskerNames.validate("control channel", name);
		Assert.notNull(handler, "'handler' must not be null");
		String channel = channel(name);
		this.handlers.computeIfAbsent(channel, (c) -> new CopyOnWriteArrayList<>()).add(handler);
		AutoCloseable subscription = () -> unsubscribe(channel, handler);
		return connection().async().subscribe(channel).toCompletableFuture().thenApply((done) -> subscription);
	}

	private void unsubscribe(String channel, Consumer<ControlMessage> handler) {
		CopyOnWriteArrayList<Consumer<ControlMessage>> list = this.handlers.get(channel);
		if (list != null && list.remove(handler) && list.isEmpty()) {
			this.handlers.remove(channel, list);
			connection().async().unsubscribe(channel);
		}
	}

	private synchronized StatefulRedisPubSubConnection<String, String> connection() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		if (current == null) {
			current = this.connections.pubSub();
			current.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					received(channel, message);
				}

			});
			this.connection = current;
		}
		return current;
	}

	private void received(String channel, String raw) {
		var list = this.handlers.get(channel);
		if (list == null || list.isEmpty()) {
			return;
		}
		if (raw.length() > this.codec.getMaxSize().toBytes()) {
			logger.warn(() -> "Dropped a control message of " + raw.length() + " characters on " + channel
					+ ": over disker.max-message-size");
			return;
		}
		ControlMessage message;
		try {
			JsonNode node = this.codec.getMapper().readTree(raw.getBytes(StandardCharsets.UTF_8));
			message = new ControlMessage(node.path("sender").asString(""), node.path("receiver").asString(""),
					node.path("content"), this.codec);
		}
		catch (JacksonException ex) {
			logger.warn(
					() -> "Dropped a control message on " + channel + " that is not JSON: " + ex.getOriginalMessage());
			return;
		}
		for (Consumer<ControlMessage> handler : list) {
			this.executor.execute(() -> {
				try {
					handler.accept(message);
				}
				catch (RuntimeException ex) {
					logger.warn(ex, () -> "Control channel handler for " + channel + " failed");
				}
			});
		}
	}

	private String channel(String name) {
		return this.keys.prefix() + ":ctl:" + name;
	}

	@Override
	public synchronized void destroy() {
		StatefulRedisPubSubConnection<String, String> current = this.connection;
		this.connection = null;
		if (current != null) {
			current.close();
		}
	}

}
