package io.disker.sample;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.actor.ActorContext;
import io.disker.actor.ActorMethod;
import io.disker.actor.DiskerActor;
import io.disker.core.DiskerOperations;
import io.disker.timer.DTimer;
import io.disker.timer.TimerPost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * A shopping cart per customer, as an actor: it lives on one instance of the application
 * (the least-loaded one), runs one call at a time so its state needs no locking, and
 * comes back elsewhere with the same id and attributes when its instance dies or shuts
 * down ({@code recoverable}; its items are in memory, so a recovered cart starts empty).
 * It works with the rest of Disker: adding an item (re)schedules an "abandoned cart"
 * reminder on the distributed timer, and checking out sends one order per item to the
 * {@code orders} queue, handled by the {@link OrderWorker}s.
 *
 * @author Disker team
 * @since 0.1.0
 */
@DiskerActor(type = "cart", recoverable = true)
public class ShoppingCart {

	private static final Logger logger = LoggerFactory.getLogger(ShoppingCart.class);

	private static final AtomicInteger orderNumbers = new AtomicInteger(10_000);

	private final ActorContext context;

	private final Map<String, Integer> items = new LinkedHashMap<>();

	private DiskerOperations disker;

	private DTimer timer;

	/**
	 * Create the cart of one customer ({@code context.id()}, e.g. {@code cart-ada}).
	 * @param context the actor's context: id, attributes, cause
	 */
	public ShoppingCart(ActorContext context) {
		this.context = context;
		logger.info("[cart] {} for customer '{}' {} here", context.id(), context.attribute("customer", String.class),
				context.cause().name().toLowerCase());
	}

	@Autowired
	void setDisker(DiskerOperations disker, DTimer timer) {
		this.disker = disker;
		this.timer = timer;
	}

	/**
	 * Add an item; the answer of an ask is the cart's content.
	 * @param item the item
	 * @return the items in the cart
	 */
	@ActorMethod("add")
	public Map<String, Integer> add(CartItem item) {
		if (item.quantity() <= 0) {
			// reaches the caller as a RemoteInvocationException
			throw new IllegalArgumentException("quantity must be positive, got " + item.quantity());
		}
		this.items.merge(item.item(), item.quantity(), Integer::sum);
		// one reminder per cart (fixed id): posting again replaces it
		this.timer.post(TimerPost.of(new Reminder(this.context.id() + " was abandoned"))
			.id(this.context.id() + "-abandoned")
			.delay(Duration.ofMinutes(30)));
		return Map.copyOf(this.items);
	}

	/**
	 * Return the cart's content.
	 * @return the items
	 */
	@ActorMethod("items")
	public Map<String, Integer> items() {
		return Map.copyOf(this.items);
	}

	/**
	 * Order everything in the cart (one order per item on the {@code orders} queue) and
	 * empty it.
	 * @return how many orders were sent
	 */
	@ActorMethod("checkout")
	public int checkout() {
		int sent = 0;
		for (Map.Entry<String, Integer> entry : this.items.entrySet()) {
			// order numbers ending in 0 are the ones the sample's workers fail once
			int number = orderNumbers.incrementAndGet();
			if (number % 10 == 0) {
				number = orderNumbers.incrementAndGet();
			}
			this.disker.send("orders", new Order(number, entry.getKey(), entry.getValue()));
			sent++;
		}
		this.items.clear();
		this.timer.cancel(this.context.id() + "-abandoned");
		logger.info("[cart] {} checked out: {} orders sent to queue 'orders'", this.context.id(), sent);
		return sent;
	}

}
