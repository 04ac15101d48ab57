package io.disker.listener;

import io.disker.core.support.DeadLetterCodec;
import io.disker.core.support.MessageCodec;
import io.disker.core.support.ReplyChannel;
import io.disker.observation.DiskerObservations;
import io.disker.queue.support.QueueContext;

/**
 * What every listener container of an application instance shares.
 *
 * @param queues the queue runtime
 * @param codec the message codec
 * @param deadLetterCodec the dead-letter entry codec
 * @param replies where listener results go
 * @param deadLetterMaxLength the cap of each dead-letter list
 * @param reconnect how containers retry when Redis cannot be reached
 * @param observations the observation registry and conventions
 * @author Disker team
 * @since 0.1.0
 */
public record ListenerSupport(QueueContext queues, MessageCodec codec, DeadLetterCodec deadLetterCodec,
		ReplyChannel replies, long deadLetterMaxLength, ReconnectPolicy reconnect, DiskerObservations observations) {

}
