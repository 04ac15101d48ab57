package io.disker.boot.actuate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.disker.test.RedisTarget;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Starts complete web applications (every auto-configuration on the test class path, an
 * embedded server on a random port, the actuator endpoints {@code health}, {@code disker}
 * and {@code metrics} exposed over HTTP) against the test's Redis, and closes them at the
 * end of a test. Fast Disker timings are preset as in {@code DiskerNodes}.
 */
public final class ActuatorNodes implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final RedisTarget redis;

	private final List<Node> nodes = new ArrayList<>();

	public ActuatorNodes(RedisTarget redis) {
		this.redis = redis;
	}

	/**
	 * Start an application with the given configuration classes and properties.
	 * @param configurations the configuration classes
	 * @param properties extra properties
	 * @return the running application
	 */
	public Node start(Class<?>[] configurations, String... properties) {
		List<Class<?>> sources = new ArrayList<>(Arrays.asList(configurations));
		sources.add(0, Application.class);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(sources.toArray(new Class<?>[0]))
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties("server.port=0", "spring.data.redis.host=" + this.redis.host(),
					"spring.data.redis.port=" + this.redis.port(),
					"management.endpoints.web.exposure.include=health,disker,metrics",
					"management.endpoint.health.show-details=always", "disker.listener.lease-time=2s",
					"disker.listener.sweep-interval=200ms", "disker.listener.receive-timeout=500ms",
					"disker.listener.shutdown-timeout=10s")
			.properties(properties)
			.run();
		Node node = new Node(context);
		this.nodes.add(node);
		return node;
	}

	public Node start(Class<?> configuration, String... properties) {
		return start(new Class<?>[] { configuration }, properties);
	}

	@Override
	public void close() {
		for (int i = this.nodes.size() - 1; i >= 0; i--) {
			ConfigurableApplicationContext context = this.nodes.get(i).context();
			if (context.isActive()) {
				context.close();
			}
		}
		this.nodes.clear();
	}

	/**
	 * A running application and an HTTP client for it.
	 */
	public static final class Node {

		private final ConfigurableApplicationContext context;

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		private final String base;

		Node(ConfigurableApplicationContext context) {
			this.context = context;
			this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
		}

		public ConfigurableApplicationContext context() {
			return this.context;
		}

		public <T> T bean(Class<T> type) {
			return this.context.getBean(type);
		}

		public Response get(String path) {
			return send(HttpRequest.newBuilder(uri(path)).GET());
		}

		public Response post(String path, String json) {
			return send(HttpRequest.newBuilder(uri(path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json)));
		}

		public Response post(String path) {
			return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
		}

		public Response delete(String path) {
			return send(HttpRequest.newBuilder(uri(path)).DELETE());
		}

		private URI uri(String path) {
			return URI.create(this.base + path);
		}

		private Response send(HttpRequest.Builder request) {
			try {
				HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(15)).build(),
						HttpResponse.BodyHandlers.ofString());
				return new Response(response.statusCode(), response.body());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * An HTTP response.
	 *
	 * @param status the status code
	 * @param body the body
	 */
	public record Response(int status, String body) {

		public JsonNode json() {
			return JSON.readTree(this.body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

}
