/**
 * Exchanges, routing keys and bindings (Dispatcher and AMQP style): a message published
 * to an exchange with a routing key reaches every queue whose binding matches the key,
 * atomically; a message that matches no binding fails with
 * {@link io.disker.routing.UnroutableMessageException} unless the exchange has an
 * alternate queue. Entry point: {@link io.disker.routing.DiskerRouting}.
 */
@NullMarked
package io.disker.routing;

import org.jspecify.annotations.NullMarked;
