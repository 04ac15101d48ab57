package io.disker.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.jspecify.annotations.Nullable;

/**
 * A Lettuce {@link NettyCustomizer} that puts Netty's {@link FlushConsolidationHandler}
 * at the head of every Redis connection's pipeline, reconnections included.
 * <p>
 * Lettuce writes and flushes every command on its own, so each command costs a system
 * call when many threads share a connection. The handler delays a flush until the end of
 * the current read (at most 256 flushes), or else until the tasks already queued on the
 * connection's event loop ran, and then writes everything pending at once: the same
 * commands, in the same order, in fewer system calls. A command waits at most for the
 * event loop's current work; no timer is involved.
 * <p>
 * Disker's auto-configuration installs it on the connections of Disker's own Lettuce
 * client only (see {@code disker.connection.consolidate-flushes}), after the
 * application's own {@link NettyCustomizer}; an application that wants it on its other
 * connections too wraps its customizer:
 * {@code builder.nettyCustomizer(new FlushConsolidatingNettyCustomizer(mine))}.
 *
 * @author Disker team
 * @since 0.1.0
 */
public final class FlushConsolidatingNettyCustomizer implements NettyCustomizer {

	/**
	 * The name of the handler in the channel pipeline.
	 */
	public static final String HANDLER_NAME = "disker.flushConsolidation";

	private final @Nullable NettyCustomizer delegate;

	/**
	 * Create a customizer that only consolidates flushes.
	 */
	public FlushConsolidatingNettyCustomizer() {
		this(null);
	}

	/**
	 * Create a customizer that consolidates flushes, then applies another customizer.
	 * @param delegate the other customizer, or {@code null}
	 */
	public FlushConsolidatingNettyCustomizer(@Nullable NettyCustomizer delegate) {
		this.delegate = delegate;
	}

	@Override
	public void afterBootstrapInitialized(Bootstrap bootstrap) {
		if (this.delegate != null) {
			this.delegate.afterBootstrapInitialized(bootstrap);
		}
	}

	@Override
	public void afterChannelInitialized(Channel channel) {
		// consolidating also when no read is in progress: commands come from application
		// threads, each as a task of its own on the event loop
		channel.pipeline()
			.addFirst(HANDLER_NAME, new FlushConsolidationHandler(
					FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
		if (this.delegate != null) {
			this.delegate.afterChannelInitialized(channel);
		}
	}

}
