package io.disker.sample;

import java.time.Duration;
import java.util.Map;

import io.disker.actor.ActorRef;
import io.disker.actor.ActorSpec;
import io.disker.actor.ActorSystem;
import io.disker.core.RemoteInvocationException;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's shopping carts: the startup shoppers check out through the carts, and a
 * cart is an actor the test can call too.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(properties = { "disker.embedded-redis.enabled=false", "sample.dispatcher.enabled=false",
		"sample.reminders.enabled=false" })
@DirtiesContext
class ShoppingCartTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static RedisTarget redis;

	@Autowired
	private ActorSystem actors;

	@BeforeAll
	static void init(RedisTarget target) {
		redis = target;
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> redis.host());
		registry.add("spring.data.redis.port", () -> redis.port());
	}

	@Test
	void shoppersCheckOutThroughTheirCarts() {
		for (String customer : new String[] { "ada", "grace", "linus" }) {
			ActorRef cart = this.actors.find("cart-" + customer).orElseThrow();
			// the shoppers filled the cart at startup, then checked out: it is empty
			await().atMost(WAIT).untilAsserted(() -> assertThat(cart.ask("items", null, Map.class).get()).isEmpty());
		}
	}

	@Test
	void cartOrdersAreHandledByTheOrderWorkers(CapturedOutput output) throws Exception {
		ActorRef cart = this.actors.create("cart", ActorSpec.id("cart-orders"));
		cart.tell("add", new CartItem("lamp", 1)).get();
		assertThat(cart.ask("checkout", null, Integer.class).get()).isEqualTo(1);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(output.getOut()).containsPattern("handled order #1\\d{4} in"));
	}

	@Test
	void aCartIsAnActor() throws Exception {
		ActorRef cart = this.actors.create("cart", ActorSpec.id("cart-test").attributes(Map.of("customer", "test")));
		assertThat(cart.ask("add", new CartItem("pen", 3), Map.class).get()).isEqualTo(Map.of("pen", 3));
		assertThat(cart.ask("add", new CartItem("pen", 0), Map.class)).failsWithin(WAIT)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RemoteInvocationException.class);
		assertThat(cart.ask("checkout", null, Integer.class).get()).isEqualTo(1);
		assertThat(this.actors.find("cart-test")).contains(cart);
	}

}
