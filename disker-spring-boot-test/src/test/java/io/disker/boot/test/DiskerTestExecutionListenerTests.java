package io.disker.boot.test;

import java.util.concurrent.TimeUnit;

import io.disker.boot.test.GreetingApplication.Greeting;
import io.disker.core.DiskerOperations;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each test method of a {@link DiskerTest @DiskerTest} class starts with a harness that
 * has forgotten the listener runs of earlier tests.
 */
@SpringBootTest(classes = GreetingApplication.class)
@DiskerTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiskerTestExecutionListenerTests {

	@Autowired
	private DiskerOperations disker;

	@Autowired
	private DiskerTestHarness harness;

	@Test
	@Order(1)
	void handlesAMessage() {
		String id = this.disker.send("greetings", new Greeting("first")).orTimeout(10, TimeUnit.SECONDS).join();
		this.harness.awaitHandled("greetings", id);
	}

	@Test
	@Order(2)
	void startsWithoutTheRunsOfTheTestBefore() {
		assertThat(this.harness.handled("greetings")).isEmpty();
	}

}
