package io.disker.control;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.disker.boot.autoconfigure.DiskerControlAutoConfiguration;
import io.disker.test.DiskerNodes;
import io.disker.test.RedisTarget;
import io.disker.test.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The control channel between two named parties on two instances (at-most-once
 * publish/subscribe).
 */
@RedisTest
class ControlChannelIntegrationTests {

	private final DiskerNodes nodes;

	ControlChannelIntegrationTests(RedisTarget redis) {
		this.nodes = new DiskerNodes(redis);
	}

	@AfterEach
	void close() {
		this.nodes.close();
	}

	// DSK-17
	@Test
	void senderAndReceiverExchangeMessagesNamingThePublisher() throws Exception {
		ControlChannel senderSide = this.nodes.start(WithControl.class).getBean(ControlChannel.class);
		ControlChannel receiverSide = this.nodes.start(WithControl.class).getBean(ControlChannel.class);
		List<ControlMessage> atSender = new CopyOnWriteArrayList<>();
		List<ControlMessage> atReceiver = new CopyOnWriteArrayList<>();
		senderSide.subscribe("control-channel-sender", atSender::add).get(5, TimeUnit.SECONDS);
		receiverSide.subscribe("control-channel-receiver", (message) -> {
			atReceiver.add(message);
			receiverSide.publish("control-channel-receiver", message.sender(), "hello sender");
		}).get(5, TimeUnit.SECONDS);

		assertThat(senderSide.publish("control-channel-sender", "control-channel-receiver", "hello receiver")
			.get(5, TimeUnit.SECONDS)).isEqualTo(1);

		await().untilAsserted(() -> assertThat(atSender).hasSize(1));
		assertThat(atReceiver).singleElement().satisfies((message) -> {
			assertThat(message.sender()).isEqualTo("control-channel-sender");
			assertThat(message.receiver()).isEqualTo("control-channel-receiver");
			assertThat(message.content(String.class)).isEqualTo("hello receiver");
		});
		assertThat(atSender.get(0).sender()).isEqualTo("control-channel-receiver");
		assertThat(atSender.get(0).content(String.class)).isEqualTo("hello sender");
	}

	@Test
	void aMessageToANameNobodyListensToIsDroppedAndAClosedSubscriptionStopsReceiving() throws Exception {
		ConfigurableApplicationContext node = this.nodes.start(WithControl.class);
		ControlChannel channel = node.getBean(ControlChannel.class);
		assertThat(channel.publish("a", "nobody", 1).get(5, TimeUnit.SECONDS)).isZero();
		List<ControlMessage> received = new CopyOnWriteArrayList<>();
		AutoCloseable subscription = channel.subscribe("b", received::add).get(5, TimeUnit.SECONDS);
		channel.publish("a", "b", 1).get(5, TimeUnit.SECONDS);
		await().until(() -> received.size() == 1);
		subscription.close();
		await().until(() -> channel.publish("a", "b", 2).get(5, TimeUnit.SECONDS) == 0);
		assertThat(received).hasSize(1);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(DiskerControlAutoConfiguration.class)
	static class WithControl {

	}

}
