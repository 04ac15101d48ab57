package io.disker.security;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.annotation.DiskerListener;
import io.disker.boot.autoconfigure.DiskerAutoConfiguration;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.RedisCli;
import io.disker.test.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disker over TLS, configured the Spring Boot way: {@code spring.data.redis.ssl.bundle}
 * names an SSL bundle that trusts the server's certificate authority. Disker's own
 * connections (a twin of the application's client) must use the same TLS settings, or
 * nothing is consumed.
 */
class TlsIntegrationTests {

	private static final List<String> received = new CopyOnWriteArrayList<>();

	@Test
	void sendConsumeAndRequestOverTls(@TempDir Path directory) throws Exception {
		Path ca = certificates(directory);
		int tlsPort = freePort();
		try (RedisServerProcess redis = RedisServerProcess.builder()
			.arg("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", directory.resolve("server.crt").toString(),
					"--tls-key-file", directory.resolve("server.key").toString(), "--tls-ca-cert-file", ca.toString(),
					"--tls-auth-clients", "no")
			.start();
				ConfigurableApplicationContext node = new SpringApplicationBuilder(TlsApplication.class)
					.web(WebApplicationType.NONE)
					.properties("spring.data.redis.host=localhost", "spring.data.redis.port=" + tlsPort,
							"spring.data.redis.ssl.enabled=true", "spring.data.redis.ssl.bundle=redis",
							"spring.ssl.bundle.pem.redis.truststore.certificate=file:" + ca)
					.run()) {
			RequestTemplate template = node.getBean(RequestTemplate.class);
			template.send("tls.jobs", "secret").join();
			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("secret"));
			assertThat(template.request("tls.echo", "ping", String.class).join()).isEqualTo("echo:ping");
			try (RedisCli cli = redis.cli()) {
				assertThat(cli.command("ZRANGE", "disker:queues", "0", "-1").toString()).contains("q:tls.jobs");
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * A certificate authority and a server certificate for localhost, made with openssl.
	 */
	private static Path certificates(Path directory) throws IOException, InterruptedException {
		Files.writeString(directory.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
		openssl(directory, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
				"-days", "2", "-subj", "/CN=disker-test-ca");
		openssl(directory, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
				"-subj", "/CN=localhost");
		openssl(directory, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
				"-out", "server.crt", "-days", "2", "-extfile", "san.ext");
		return directory.resolve("ca.crt");
	}

	private static void openssl(Path directory, String... args) throws IOException, InterruptedException {
		String[] command = new String[args.length + 1];
		command[0] = "openssl";
		System.arraycopy(args, 0, command, 1, args.length);
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("openssl.log").toFile())
			.start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(() -> "openssl " + String.join(" ", args) + ": " + log(directory)).isZero();
	}

	private static String log(Path directory) {
		try {
			return Files.readString(directory.resolve("openssl.log"));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ SslAutoConfiguration.class, DataRedisAutoConfiguration.class,
			JacksonAutoConfiguration.class, DiskerAutoConfiguration.class })
	static class TlsApplication {

		@Bean
		Listeners tlsListeners() {
			return new Listeners();
		}

	}

	static class Listeners {

		@DiskerListener(queue = "tls.jobs")
		void job(String payload) {
			received.add(payload);
		}

		@DiskerListener(queue = "tls.echo")
		String echo(String payload) {
			return "echo:" + payload;
		}

	}

}
