package io.disker.routing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing with a binding table: every matching queue once, else the alternate queue.
 */
class BindingTableTests {

	@Test
	void tableRoutesToEveryMatchingQueueOnceOrToTheAlternate() {
		BindingTable table = new BindingTable("images", 3, ExchangeType.TOPIC, "unrouted",
				List.of(new Binding("images", "image.*.resize", "thumbs"), new Binding("images", "#", "audit"),
						new Binding("images", "image.#", "thumbs")));
		assertThat(table.route("image.png.resize")).containsExactly("thumbs", "audit");
		BindingTable direct = new BindingTable("d", 1, ExchangeType.DIRECT, null, List.of(new Binding("d", "k", "q1")));
		assertThat(direct.route("other")).isEmpty();
		BindingTable withAlternate = new BindingTable("d", 1, ExchangeType.DIRECT, "rest",
				List.of(new Binding("d", "k", "q1")));
		assertThat(withAlternate.route("other")).containsExactly("rest");
		assertThat(withAlternate.isUnbound("other")).isTrue();
	}

}
