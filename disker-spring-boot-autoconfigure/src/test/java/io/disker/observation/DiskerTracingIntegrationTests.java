package io.disker.observation;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
import io.disker.requestreply.RequestTemplate;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing through Micrometer Observation: with a tracer and a propagator, the trace
 * context travels in the message headers, so a send, each delivery attempt and the reply
 * are spans of one trace. Also the observations themselves, their conventions, and
 * switching them off.
 */
@RedisTest
class DiskerTracingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final RedisTarget redis;

	private final DiskerNodes nodes;

	DiskerTracingIntegrationTests(RedisTarget redis) {
		this.redis = redis;
		this.nodes = new DiskerNodes(redis);
	}

	@BeforeEach
	void flush() {
		this.redis.flushAll();
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	@Test
	void requestHandlerAndReplyAreSpansOfOneTrace() {
		ConfigurableApplicationContext node = this.nodes.start(new Class<?>[] { Tracing.class, Listeners.class });
		SimpleTracer tracer = node.getBean(SimpleTracer.class);
		String reply = node.getBean(RequestTemplate.class).request("t.echo", "hi", String.class).join();
		assertThat(reply).isEqualTo("HI");
		SimpleSpan request = awaitSpan(tracer, operation("request"));
		SimpleSpan handler = awaitSpan(tracer, (span) -> span.getKind() == Span.Kind.CONSUMER);
		SimpleSpan replied = awaitSpan(tracer, operation("reply"));

		assertThat(request.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(request.getName()).isEqualTo("t.echo request");
		assertThat(request.getTags()).containsEntry("disker.queue", "t.echo").containsKey("disker.message.id");
		assertThat(request.getRemoteServiceName()).isEqualTo("redis");

		assertThat(handler.getName()).isEqualTo("t.echo receive");
		assertThat(handler.getTraceId()).isEqualTo(request.getTraceId());
		assertThat(handler.getParentId()).isEqualTo(request.getSpanId());
		assertThat(handler.getTags()).containsEntry("disker.queue", "t.echo")
			.containsEntry("disker.listener.id", "t-echo")
			.containsEntry("disker.attempt", "1")
			.containsEntry("disker.message.id", request.getTags().get("disker.message.id"));

		assertThat(replied.getKind()).isEqualTo(Span.Kind.PRODUCER);
		assertThat(replied.getTraceId()).isEqualTo(request.getTraceId());
		assertThat(replied.getParentId()).isEqualTo(handler.getSpanId());

		// the context travelled in the message headers the listener received
		Map<String, String> headers = node.getBean(Listeners.class).echoHeaders.get(0);
		assertThat(headers).containsEntry(HeaderPropagator.TRACE_ID, request.getTraceId())
			.containsEntry(HeaderPropagator.SPAN_ID, request.getSpanId());
	}

	@Test
	void eachDeliveryAttemptIsANewConsumerSpanOfTheSendersTrace() {
		ConfigurableApplicationContext node = this.nodes.start(new Class<?>[] { Tracing.class, Listeners.class });
		SimpleTracer tracer = node.getBean(SimpleTracer.class);
		node.getBean(RequestTemplate.class).send("t.flaky", "again").join();
		SimpleSpan send = awaitSpan(tracer, operation("send"));
		await().atMost(WAIT).until(() -> ended(tracer, (span) -> span.getKind() == Span.Kind.CONSUMER).size() == 2);
		List<SimpleSpan> attempts = ended(tracer, (span) -> span.getKind() == Span.Kind.CONSUMER);
		assertThat(attempts).extracting(SimpleSpan::getTraceId).containsOnly(send.getTraceId());
		assertThat(attempts).extracting(SimpleSpan::getParentId).containsOnly(send.getSpanId());
		assertThat(attempts).extracting((span) -> span.getTags().get("disker.attempt"))
			.containsExactlyInAnyOrder("1", "2");
		assertThat(attempts).extracting(SimpleSpan::getSpanId).doesNotHaveDuplicates();
		SimpleSpan first = attempts.stream()
			.filter((span) -> "1".equals(span.getTags().get("disker.attempt")))
			.findFirst()
			.orElseThrow();
		SimpleSpan second = attempts.stream()
			.filter((span) -> "2".equals(span.getTags().get("disker.attempt")))
			.findFirst()
			.orElseThrow();
		assertThat(first.getError()).isInstanceOf(IllegalStateException.class).hasMessage("first attempt fails");
		assertThat(second.getError()).isNull();
	}

	@Test
	void replacingTheConventionsWithBeansChangesTheSpanNames() {
		ConfigurableApplicationContext node = this.nodes
			.start(new Class<?>[] { Tracing.class, Listeners.class, CustomConventions.class });
		SimpleTracer tracer = node.getBean(SimpleTracer.class);
		node.getBean(RequestTemplate.class).send("t.echo", "named").join();
		SimpleSpan send = awaitSpan(tracer, (span) -> span.getKind() == Span.Kind.PRODUCER);
		SimpleSpan handler = awaitSpan(tracer, (span) -> span.getKind() == Span.Kind.CONSUMER);
		assertThat(send.getName()).isEqualTo("publish t.echo");
		assertThat(send.getTags()).containsEntry("team", "orders");
		assertThat(handler.getName()).isEqualTo("process t.echo");
		assertThat(handler.getTags()).containsEntry("team", "orders");
		assertThat(handler.getTraceId()).isEqualTo(send.getTraceId());
	}

	@Test
	void observationsHaveTheDocumentedNamesAndLowCardinalityKeys() {
		ConfigurableApplicationContext node = this.nodes.start(new Class<?>[] { TestRegistry.class, Listeners.class });
		TestObservationRegistry registry = node.getBean(TestObservationRegistry.class);
		node.getBean(RequestTemplate.class).request("t.echo", "hi", String.class).join();
		await().atMost(WAIT)
			.untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
				.hasNumberOfObservationsWithNameEqualTo("disker.send", 2)
				.hasNumberOfObservationsWithNameEqualTo("disker.listener", 1)
				.hasObservationWithNameEqualTo("disker.listener")
				.that()
				.hasBeenStopped());
		TestObservationRegistryAssert.assertThat(registry)
			.hasAnObservation((observation) -> observation.hasNameEqualTo("disker.send")
				.hasContextualNameEqualTo("t.echo request")
				.hasLowCardinalityKeyValue("disker.queue", "t.echo")
				.hasLowCardinalityKeyValue("disker.operation", "request")
				.hasHighCardinalityKeyValueWithKey("disker.message.id")
				.doesNotHaveError())
			.hasAnObservation((observation) -> observation.hasNameEqualTo("disker.send")
				.hasLowCardinalityKeyValue("disker.operation", "reply"))
			.hasObservationWithNameEqualTo("disker.listener")
			.that()
			.hasContextualNameEqualTo("t.echo receive")
			.hasLowCardinalityKeyValue("disker.queue", "t.echo")
			.hasLowCardinalityKeyValue("disker.listener.id", "t-echo")
			.hasHighCardinalityKeyValue("disker.attempt", "1")
			.hasHighCardinalityKeyValueWithKey("disker.message.id")
			.hasBeenStarted()
			.hasBeenStopped();
	}

	@Test
	void observationDisabledByPropertyRecordsNothing() {
		ConfigurableApplicationContext node = this.nodes.start(new Class<?>[] { TestRegistry.class, Listeners.class },
				"disker.metrics.observation-enabled=false");
		TestObservationRegistry registry = node.getBean(TestObservationRegistry.class);
		node.getBean(RequestTemplate.class).request("t.echo", "hi", String.class).join();
		node.getBean(RequestTemplate.class).send("t.flaky", "again").join();
		Listeners listeners = node.getBean(Listeners.class);
		await().atMost(WAIT).until(() -> listeners.flakyAttempts.size() == 2);
		TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
		assertThat(node.getBean(DiskerObservations.class).isEnabled()).isFalse();
	}

	private static Predicate<SimpleSpan> operation(String operation) {
		return (span) -> operation.equals(span.getTags().get("disker.operation"));
	}

	private static SimpleSpan awaitSpan(SimpleTracer tracer, Predicate<SimpleSpan> matching) {
		await().atMost(WAIT).until(() -> ended(tracer, matching).size() == 1);
		return ended(tracer, matching).get(0);
	}

	private static List<SimpleSpan> ended(SimpleTracer tracer, Predicate<SimpleSpan> matching) {
		return tracer.getSpans()
			.stream()
			.filter((span) -> span.getEndTimestamp().toEpochMilli() > 0)
			.filter(matching)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleTracer tracer) {
			HeaderPropagator propagator = new HeaderPropagator(tracer);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TestRegistry {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConventions {

		@Bean
		DiskerTemplateObservationConvention templateConvention() {
			return new DefaultDiskerTemplateObservationConvention() {

				@Override
				public String getContextualName(DiskerSenderContext context) {
					return "publish " + context.getQueue();
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(DiskerSenderContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "orders");
				}

			};
		}

		@Bean
		DiskerListenerObservationConvention listenerConvention() {
			return new DefaultDiskerListenerObservationConvention() {

				@Override
				public String getContextualName(DiskerReceiverContext context) {
					return "process " + context.getMessage().queue();
				}

				@Override
				public KeyValues getLowCardinalityKeyValues(DiskerReceiverContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "orders");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<Map<String, String>> echoHeaders = new CopyOnWriteArrayList<>();

		final List<Integer> flakyAttempts = new CopyOnWriteArrayList<>();

		@DiskerListener(queue = "t.echo", id = "t-echo")
		String echo(DiskerMessage<String> message) {
			this.echoHeaders.add(message.headers());
			return message.payload().toUpperCase(Locale.ROOT);
		}

		@DiskerListener(queue = "t.flaky", maxAttempts = "3", retryDelay = "100ms")
		void flaky(DiskerMessage<String> message) {
			this.flakyAttempts.add(message.attempt());
			if (message.attempt() == 1) {
				throw new IllegalStateException("first attempt fails");
			}
		}

	}

}
