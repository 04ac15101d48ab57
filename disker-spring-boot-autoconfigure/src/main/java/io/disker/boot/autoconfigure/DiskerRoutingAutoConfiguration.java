package io.disker.boot.autoconfigure;

import java.util.Map;

import io.disker.core.DiskerNames;
import io.disker.core.InvalidNameException;
import io.disker.core.support.MessageCodec;
import io.disker.queue.support.QueueContext;
import io.disker.routing.Binding;
import io.disker.routing.DiskerRouting;
import io.disker.routing.Exchange;
import io.disker.routing.ExchangeType;
import io.disker.routing.support.ExchangeStore;
import io.disker.routing.support.RoutingKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of routing: the {@link DiskerRouting} bean, with the exchanges and
 * bindings of {@code disker.routing.*}, validated at startup.
 *
 * @author Disker team
 * @since 0.1.0
 */
@AutoConfiguration(after = DiskerAutoConfiguration.class)
@ConditionalOnBean({ QueueContext.class, MessageCodec.class })
@EnableConfigurationProperties(DiskerRoutingProperties.class)
public final class DiskerRoutingAutoConfiguration {

	private static final String PREFIX = "disker.routing.exchanges";

	@Bean
	@ConditionalOnMissingBean
	DiskerRouting diskerRouting(DiskerRoutingProperties routing, DiskerProperties properties, QueueContext queues,
			MessageCodec codec) {
		DiskerRouting diskerRouting = new DiskerRouting(new ExchangeStore(queues), codec);
		diskerRouting.setSendTimeout(properties.getProducer().getSendTimeout());
		if (routing.getTableLeaseTime().toMillis() <= 0) {
			throw new InvalidConfigurationPropertyValueException("disker.routing.table-lease-time",
					routing.getTableLeaseTime(), "The lease time of a binding table must be at least 1 ms");
		}
		diskerRouting.setTableLeaseTime(routing.getTableLeaseTime());
		for (Map.Entry<String, DiskerRoutingProperties.ExchangeSpec> entry : routing.getExchanges().entrySet()) {
			declare(diskerRouting, entry.getKey(), entry.getValue());
		}
		return diskerRouting;
	}

	private static void declare(DiskerRouting routing, String name, DiskerRoutingProperties.ExchangeSpec spec) {
		String property = PREFIX + "." + name;
		check(property, name, () -> DiskerNames.validate("exchange", name));
		if (spec.getAlternateQueue() != null) {
			check(property + ".alternate-queue", spec.getAlternateQueue(),
					() -> DiskerNames.validate("queue", spec.getAlternateQueue()));
		}
		routing.addExchange(new Exchange(name, spec.getType(), spec.getAlternateQueue()));
		if (spec.getDefaultRoutingKey() != null) {
			String key = spec.getDefaultRoutingKey();
			check(property + ".default-routing-key", key, () -> routing.setDefaultRoutingKey(name, key));
		}
		for (int i = 0; i < spec.getBindings().size(); i++) {
			DiskerRoutingProperties.QueueBindings bindings = spec.getBindings().get(i);
			String bindingProperty = property + ".bindings[" + i + "]";
			String queue = bindings.getQueue();
			check(bindingProperty + ".queue", queue, () -> DiskerNames.validate("queue", queue));
			if (bindings.getKeys().isEmpty()) {
				throw new InvalidConfigurationPropertyValueException(bindingProperty + ".keys", null,
						"Queue '" + queue + "' needs at least one binding key");
			}
			for (int k = 0; k < bindings.getKeys().size(); k++) {
				String key = bindings.getKeys().get(k);
				check(bindingProperty + ".keys[" + k + "]", key, () -> {
					RoutingKeys.validatePattern(key);
					if (spec.getType() == ExchangeType.DIRECT && RoutingKeys.hasWildcards(key)) {
						throw new IllegalArgumentException(
								"Exchange '" + name + "' is direct: a binding key cannot have '*' or '#' words");
					}
				});
				routing.addBinding(new Binding(name, key, queue));
			}
		}
	}

	private static void check(String property, @Nullable Object value, Runnable validation) {
		try {
			validation.run();
		}
		catch (InvalidNameException | IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
	}

}
