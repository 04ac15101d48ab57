package io.disker.boot.test;

import java.time.Duration;

import io.disker.config.DiskerListenerEndpoint;
import io.disker.core.support.MessageCodec;
import io.disker.listener.DiskerMessageListener;
import io.disker.listener.RetrySettings;
import io.disker.redis.QueueKind;
import org.jspecify.annotations.Nullable;

import org.springframework.core.retry.RetryPolicy;

/**
 * An endpoint exactly like another whose listener also tells a {@link ListenerRecorder}
 * how each run ended.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class RecordingEndpoint implements DiskerListenerEndpoint {

	private final DiskerListenerEndpoint delegate;

	private final ListenerRecorder recorder;

	RecordingEndpoint(DiskerListenerEndpoint delegate, ListenerRecorder recorder) {
		this.delegate = delegate;
		this.recorder = recorder;
	}

	@Override
	public DiskerMessageListener createMessageListener(MessageCodec codec) {
		DiskerMessageListener listener = this.delegate.createMessageListener(codec);
		String id = this.delegate.getId();
		return (message) -> {
			Object result;
			try {
				result = listener.onMessage(message);
			}
			catch (Exception | Error ex) {
				this.recorder.record(new HandledMessage(id, message, ex, codec));
				throw ex;
			}
			this.recorder.record(new HandledMessage(id, message, null, codec));
			return result;
		};
	}

	@Override
	public String getId() {
		return this.delegate.getId();
	}

	@Override
	public String getQueue() {
		return this.delegate.getQueue();
	}

	@Override
	public QueueKind getQueueKind() {
		return this.delegate.getQueueKind();
	}

	@Override
	public @Nullable RetryPolicy getRetryPolicy() {
		return this.delegate.getRetryPolicy();
	}

	@Override
	public @Nullable RetrySettings getRetrySettings() {
		return this.delegate.getRetrySettings();
	}

	@Override
	public @Nullable Duration getTimeout() {
		return this.delegate.getTimeout();
	}

	@Override
	public @Nullable Integer getConcurrency() {
		return this.delegate.getConcurrency();
	}

	@Override
	public @Nullable Integer getPrefetch() {
		return this.delegate.getPrefetch();
	}

	@Override
	public @Nullable Boolean getAutoStartup() {
		return this.delegate.getAutoStartup();
	}

	@Override
	public boolean isOneTime() {
		return this.delegate.isOneTime();
	}

}
