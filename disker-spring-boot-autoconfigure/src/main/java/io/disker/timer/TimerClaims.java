package io.disker.timer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.disker.core.DiskerMessage;
import io.disker.core.support.MalformedMessageException;
import io.disker.core.support.MessageCodec;
import io.disker.listener.FetchInterceptor;
import io.disker.queue.support.Delivery;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Claims, with one script call per fetched batch, the copies of events with retries left
 * that a joined node fetched: their confirm timeout starts now, and a stale copy (its
 * event was confirmed, cancelled, re-posted or fired again since the copy was fired) is
 * held back, so no listener handles it. Copies of events without retries left carry no
 * delivery token and are passed through without being decoded.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class TimerClaims implements FetchInterceptor {

	private static final byte[] TOKEN_FIELD = ("\"" + TimerDelivery.TOKEN + "\":\"")
		.getBytes(StandardCharsets.US_ASCII);

	private final DTimer timer;

	private final MessageCodec codec;

	TimerClaims(DTimer timer, MessageCodec codec) {
		this.timer = timer;
		this.codec = codec;
	}

	@Override
	public List<Delivery> intercept(List<Delivery> deliveries) {
		List<Delivery> claimed = new ArrayList<>();
		List<TimerStore.Claim> copies = new ArrayList<>();
		for (Delivery delivery : deliveries) {
			TimerStore.Claim copy = claimOf(delivery.raw());
			if (copy != null) {
				claimed.add(delivery);
				copies.add(copy);
			}
		}
		if (copies.isEmpty()) {
			return deliveries;
		}
		List<Boolean> current = this.timer.claim(copies);
		List<Delivery> kept = new ArrayList<>(deliveries.size());
		int next = 0;
		for (Delivery delivery : deliveries) {
			if (next < claimed.size() && claimed.get(next) == delivery) {
				if (current.get(next++)) {
					kept.add(delivery);
				}
			}
			else {
				kept.add(delivery);
			}
		}
		return kept;
	}

	/**
	 * Return what to claim for a fired copy, or {@code null} if it carries no delivery
	 * token (or does not decode: then its listener reports it).
	 * @param raw the raw
	 * @return what to claim for a fired copy, or {@code null} if it carries no delivery
	 * token (or does not decode: then its listener reports it)
	 */
	private TimerStore.@Nullable Claim claimOf(byte[] raw) {
		if (!hasToken(raw)) {
			return null;
		}
		DiskerMessage<JsonNode> message;
		try {
			message = this.codec.decode(raw).message();
		}
		catch (MalformedMessageException ex) {
			return null;
		}
		String token = message.header(TimerDelivery.TOKEN);
		if (message.id() == null || token == null || token.isEmpty()) {
			return null;
		}
		return new TimerStore.Claim(message.id(), token);
	}

	/**
	 * Return whether the envelope may carry a non-empty token: a byte search, so that
	 * copies of events without retries (most) are not parsed twice.
	 * @param raw the raw
	 * @return whether the envelope may carry a non-empty token: a byte search, so that
	 * copies of events without retries (most) are not parsed twice
	 */
	private static boolean hasToken(byte[] raw) {
		outer: for (int i = 0; i + TOKEN_FIELD.length < raw.length; i++) {
			for (int j = 0; j < TOKEN_FIELD.length; j++) {
				if (raw[i + j] != TOKEN_FIELD[j]) {
					continue outer;
				}
			}
			if (raw[i + TOKEN_FIELD.length] != '"') {
				return true;
			}
		}
		return false;
	}

}
