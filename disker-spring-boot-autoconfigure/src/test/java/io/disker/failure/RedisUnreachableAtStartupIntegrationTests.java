package io.disker.failure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.core.DiskerConnectionException;
import io.disker.core.DiskerOperations;
import io.disker.requestreply.RequestTemplate;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Redis unreachable since the application started (issue #16): a send returns its future
 * at once, and the future fails with {@link DiskerConnectionException} within the send
 * timeout (plus a second of slack), never by throwing at the caller and never after the
 * clock's or the client's longer timeouts. A server that answers in another protocol is
 * named as such.
 */
class RedisUnreachableAtStartupIntegrationTests {

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
				DiskerAutoConfiguration.class))
		.withPropertyValues("disker.producer.send-timeout=" + SEND_TIMEOUT.toMillis() + "ms");

	@Test
	void sendToRedisDownSinceStartupFailsItsFutureWithinTheSendTimeout() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=" + closedPort()).run((context) -> {
			DiskerOperations disker = context.getBean(DiskerOperations.class);
			assertFailsInTime(() -> disker.send("orders", "o-1"));
			// once the failure is known, the next send fails at once
			long start = System.nanoTime();
			CompletableFuture<String> next = disker.send("orders", "o-2");
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> next.get(1, TimeUnit.SECONDS))
				.withCauseInstanceOf(DiskerConnectionException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		});
	}

	@Test
	void requestToRedisDownSinceStartupFailsItsFutureWithinTheSendTimeout() {
		this.contextRunner.withPropertyValues("spring.data.redis.port=" + closedPort()).run((context) -> {
			RequestTemplate template = context.getBean(RequestTemplate.class);
			assertFailsInTime(() -> template.request("quotes", "ACME", String.class, Duration.ofSeconds(30)));
		});
	}

	@Test
	void aServerSpeakingAnotherProtocolIsNamedAsSuch() throws Exception {
		try (NotRedis http = new NotRedis("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
			this.contextRunner.withPropertyValues("spring.data.redis.port=" + http.port()).run((context) -> {
				Throwable failure = assertFailsInTime(
						() -> context.getBean(DiskerOperations.class).send("orders", "x"));
				assertThat(failure).hasMessageContaining("not like a Redis server")
					.hasMessageContaining("spring.data.redis");
			});
		}
	}

	@Test
	void aSilentServerFailsSendsInTimeAndDoesNotHoldTheShutdown() throws Exception {
		try (NotRedis silent = new NotRedis(null)) {
			this.contextRunner.withUserConfiguration(OrdersListener.class)
				.withPropertyValues("spring.data.redis.port=" + silent.port())
				.run((context) -> {
					DiskerOperations disker = context.getBean(DiskerOperations.class);
					assertThat(assertFailsInTime(() -> disker.send("orders", "x")))
						.hasMessageContaining("is it a Redis server?");
					// a handshake that never ends (Lettuce waits its 60 s command
					// timeout)
					// holds no consumer loop, subscription or stop: SIGTERM ends the JVM
					long start = System.nanoTime();
					context.close();
					assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to close the context")
						.isLessThan(SEND_TIMEOUT.plusSeconds(3));
				});
		}
	}

	private static Throwable assertFailsInTime(java.util.function.Supplier<CompletableFuture<?>> operation) {
		long start = System.nanoTime();
		CompletableFuture<?> future = operation.get();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time for the call to return its future")
			.isLessThan(SEND_TIMEOUT.plusSeconds(1));
		Throwable[] cause = new Throwable[1];
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> future.get(SEND_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS))
			.satisfies((ex) -> cause[0] = ex.getCause())
			.withCauseInstanceOf(DiskerConnectionException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SEND_TIMEOUT.plusSeconds(1));
		return cause[0];
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A server on a loopback port that answers every connection with a fixed text, as a
	 * web server asked in RESP would, or with nothing at all.
	 */
	private static final class NotRedis implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> accepted = new CopyOnWriteArrayList<>();

		NotRedis(@Nullable String answer) throws IOException {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			Thread acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						Socket socket = this.server.accept();
						this.accepted.add(socket);
						if (answer != null) {
							OutputStream out = socket.getOutputStream();
							out.write(answer.getBytes(StandardCharsets.US_ASCII));
							out.flush();
						}
					}
					catch (IOException ex) {
						// closed
					}
				}
			}, "not-redis");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.accepted) {
				socket.close();
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersListener {

		@DiskerListener(queue = "orders")
		void handle(String order) {
		}

	}

}
