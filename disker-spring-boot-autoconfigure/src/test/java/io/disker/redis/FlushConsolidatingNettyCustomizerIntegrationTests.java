package io.disker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.test.RedisCli;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link FlushConsolidatingNettyCustomizer} on a Lettuce client against a real Redis:
 * every connection, reconnections included, gets the handler first in its pipeline;
 * commands issued while a reply is being read reach the socket in one flush; and nothing
 * is lost or reordered.
 */
@RedisTest
class FlushConsolidatingNettyCustomizerIntegrationTests {

	private final RedisTarget redis;

	/**
	 * For each channel initialized, the handler found in its pipeline (a closed channel's
	 * is emptied).
	 */
	private final List<Object> handlers = new CopyOnWriteArrayList<>();

	private final FlushCounter socketFlushes = new FlushCounter();

	private final AtomicInteger bootstraps = new AtomicInteger();

	private ClientResources resources;

	private RedisClient client;

	FlushConsolidatingNettyCustomizerIntegrationTests(RedisTarget redis) {
		this.redis = redis;
	}

	@BeforeEach
	void createClient() {
		this.redis.flushAll();
		// the delegate runs after the handler was added: its counter goes in front of it,
		// closest to the socket, and counts the flushes that pass the consolidation
		NettyCustomizer recording = new NettyCustomizer() {

			@Override
			public void afterBootstrapInitialized(Bootstrap bootstrap) {
				FlushConsolidatingNettyCustomizerIntegrationTests.this.bootstraps.incrementAndGet();
			}

			@Override
			public void afterChannelInitialized(Channel channel) {
				FlushConsolidatingNettyCustomizerIntegrationTests.this.handlers
					.add(channel.pipeline().get(FlushConsolidatingNettyCustomizer.HANDLER_NAME));
				channel.pipeline().addFirst(FlushConsolidatingNettyCustomizerIntegrationTests.this.socketFlushes);
			}

		};
		this.resources = ClientResources.builder()
			.nettyCustomizer(new FlushConsolidatingNettyCustomizer(recording))
			.build();
		this.client = RedisClient.create(this.resources, this.redis.uri());
	}

	@AfterEach
	void shutDown() {
		this.client.shutdown();
		this.resources.shutdown(0, 0, TimeUnit.SECONDS);
	}

	@Test
	void everyConnectionAndReconnectionGetsTheHandler() throws Exception {
		try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
			String clientId = String.valueOf(connection.sync().clientId());
			try (RedisCli cli = this.redis.cli()) {
				cli.command("CLIENT", "KILL", "ID", clientId);
			}
			// the next command waits for Lettuce to reconnect
			assertThat(connection.sync().ping()).isEqualTo("PONG");
			assertThat(connection.sync().clientId()).isNotEqualTo(Long.valueOf(clientId));
		}
		assertThat(this.bootstraps).hasPositiveValue();
		assertThat(this.handlers).hasSize(2).allMatch(FlushConsolidationHandler.class::isInstance);
	}

	@Test
	void commandsIssuedWhileAReplyIsReadReachTheSocketInOneFlush() throws Exception {
		int commands = 100;
		try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
			RedisAsyncCommands<String, String> async = connection.async();
			List<RedisFuture<Long>> increments = new ArrayList<>();
			AtomicInteger flushesBefore = new AtomicInteger();
			// the reply to BLPOP comes only after the callback is in place, so the
			// callback
			// runs on the event loop while that reply is read
			RedisFuture<?> popped = async.blpop(10, "wake");
			CompletableFuture<Void> issued = popped.toCompletableFuture().thenRun(() -> {
				flushesBefore.set(this.socketFlushes.count.get());
				for (int i = 0; i < commands; i++) {
					increments.add(async.incr("counter"));
				}
			});
			try (RedisCli cli = this.redis.cli()) {
				cli.command("LPUSH", "wake", "now");
			}
			issued.get(10, TimeUnit.SECONDS);
			for (RedisFuture<Long> increment : increments) {
				increment.get(10, TimeUnit.SECONDS);
			}
			assertThat(this.socketFlushes.count.get() - flushesBefore.get()).isOne();
			assertThat(connection.sync().get("counter")).isEqualTo(String.valueOf(commands));
		}
	}

	@Test
	void commandsFromManyThreadsAllLandInTheOrderEachThreadIssuedThem() throws Exception {
		int threads = 4;
		int perThread = 5_000;
		try (StatefulRedisConnection<String, String> connection = this.client.connect()) {
			RedisAsyncCommands<String, String> async = connection.async();
			List<CompletableFuture<Void>> senders = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String list = "list-" + t;
				senders.add(CompletableFuture.runAsync(() -> {
					List<RedisFuture<Long>> pushes = new ArrayList<>(perThread);
					for (int i = 0; i < perThread; i++) {
						pushes.add(async.rpush(list, Integer.toString(i)));
					}
					pushes.forEach((push) -> push.toCompletableFuture().join());
				}));
			}
			CompletableFuture.allOf(senders.toArray(CompletableFuture<?>[]::new)).get(60, TimeUnit.SECONDS);
			List<String> expected = new ArrayList<>(perThread);
			for (int i = 0; i < perThread; i++) {
				expected.add(Integer.toString(i));
			}
			for (int t = 0; t < threads; t++) {
				assertThat(connection.sync().lrange("list-" + t, 0, -1)).isEqualTo(expected);
			}
		}
	}

	/**
	 * Counts the flushes that reach the socket.
	 */
	@ChannelHandler.Sharable
	static final class FlushCounter extends ChannelOutboundHandlerAdapter {

		final AtomicInteger count = new AtomicInteger();

		@Override
		public void flush(ChannelHandlerContext ctx) throws Exception {
			this.count.incrementAndGet();
			super.flush(ctx);
		}

	}

}
