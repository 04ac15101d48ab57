package io.disker.sample;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.disker.actor.ActorRef;
import io.disker.actor.ActorSpec;
import io.disker.actor.ActorSystem;
import io.disker.core.DiskerException;
import io.disker.core.RemoteInvocationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Customers shopping at startup, through {@link ShoppingCart} actors: one cart per
 * customer, created (or found, creation is idempotent by id) with
 * {@link ActorSystem#create}, filled with {@link ActorRef#tell tell} and
 * {@link ActorRef#ask ask}, and checked out. Run two instances of the sample and the
 * carts spread over both; stop one and its carts come back on the other. Switched off
 * with {@code sample.shoppers.enabled=false}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.shoppers.enabled", matchIfMissing = true)
public class Shoppers {

	private static final Logger logger = LoggerFactory.getLogger(Shoppers.class);

	private final ActorSystem actors;

	public Shoppers(ActorSystem actors) {
		this.actors = actors;
	}

	@EventListener(ApplicationReadyEvent.class)
	void shop() {
		try {
			for (String customer : new String[] { "ada", "grace", "linus" }) {
				ActorRef cart = this.actors.create("cart",
						ActorSpec.id("cart-" + customer).attributes(Map.of("customer", customer)));
				// tell: fire-and-forget, done once Redis holds it; the cart runs messages
				// in order
				cart.tell("add", new CartItem("tea", 2));
				CompletableFuture<Map> items = cart.ask("add", new CartItem("biscuits", 1), Map.class);
				items.thenCompose((content) -> {
					logger.info("[shoppers] cart of {} holds {}", customer, content);
					return cart.ask("add", new CartItem("nothing", 0), Map.class);
				}).exceptionally((ex) -> {
					if (ex.getCause() instanceof RemoteInvocationException remote) {
						logger.info("[shoppers] the cart of {} refused an item: {}", customer,
								remote.getRemoteMessage());
					}
					return null;
				})
					.thenCompose((ignored) -> cart.ask("checkout", null, Integer.class))
					.whenComplete((orders, ex) -> logger.info("[shoppers] {} checked out: {}", customer,
							(ex != null) ? ex.getMessage() : orders + " orders"));
			}
		}
		catch (DiskerException ex) {
			logger.warn("[shoppers] could not create the carts: {}", ex.getMessage());
		}
	}

}
