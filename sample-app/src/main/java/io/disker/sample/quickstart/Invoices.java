package io.disker.sample.quickstart;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerOperations;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The README's quick start: a listener on the {@code invoices} queue and a send to it.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Configuration(proxyBeanMethods = false)
public class Invoices {

	@DiskerListener(queue = "invoices")
	void bill(Invoice invoice) {
		// once per invoice, on one instance; an exception retries it
		System.out.println("Billing " + invoice.customer() + ": " + invoice.cents() + " cents");
	}

	@Bean
	ApplicationRunner sendAnInvoice(DiskerOperations disker) {
		return (args) -> disker.send("invoices", new Invoice("acme", 4200))
			.thenAccept((id) -> System.out.println("Redis holds invoice " + id));
	}

	/**
	 * What travels: any type Jackson writes and reads.
	 *
	 * @param customer who pays
	 * @param cents how much
	 */
	public record Invoice(String customer, long cents) {
	}

}
