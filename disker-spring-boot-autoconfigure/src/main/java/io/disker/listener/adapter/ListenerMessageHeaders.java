package io.disker.listener.adapter;

import java.util.Map;
import java.util.function.Consumer;

import io.disker.core.DiskerHeaders;

import org.springframework.messaging.MessageHeaders;

/**
 * The headers of the {@link org.springframework.messaging.Message} a listener method is
 * invoked with: the message's own headers plus the Disker ones ({@link DiskerHeaders}).
 * <p>
 * Unlike plain {@link MessageHeaders}, they carry no generated {@link MessageHeaders#ID}
 * and {@link MessageHeaders#TIMESTAMP}: a message already has its Disker id and creation
 * time, and generating a random UUID and reading the clock for every delivery is
 * measurable work on a busy consumer.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class ListenerMessageHeaders extends MessageHeaders {

	private static final long serialVersionUID = 1L;

	/**
	 * Create headers holding a copy of a message's own headers plus the Disker ones; they
	 * cannot change afterwards, as any {@link MessageHeaders}.
	 * @param messageHeaders the headers the message carries
	 * @param diskerHeaders adds the Disker headers to the map being built (replacing
	 * message headers of the same name); called once, from this constructor
	 */
	public ListenerMessageHeaders(Map<String, String> messageHeaders, Consumer<Map<String, Object>> diskerHeaders) {
		super(asObjects(messageHeaders), ID_VALUE_NONE, -1L);
		diskerHeaders.accept(getRawHeaders());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asObjects(Map<String, String> headers) {
		// only copied from, never written to
		return (Map<String, Object>) (Map<String, ?>) headers;
	}

}
