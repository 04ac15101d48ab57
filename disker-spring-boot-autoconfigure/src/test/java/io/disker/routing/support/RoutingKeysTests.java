package io.disker.routing.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Topic and direct matching of routing keys (AMQP semantics), with {@code *}, {@code #}
 * and empty words.
 */
class RoutingKeysTests {

	// DSP-15
	@ParameterizedTest(name = "''{0}'' matches ''{1}'': {2}")
	@CsvSource(delimiter = '|',
			value = { "image.*.resize|image.png.resize|true", "image.*.resize|image.resize|false",
					"image.*.resize|image.png.big.resize|false", "image.#|image|true", "image.#|image.png.resize|true",
					"#|anything.at.all|true", "#.resize|resize|true", "#.resize|a.b.resize|true",
					"#.resize|a.b.crop|false", "a.#.b|a.b|true", "a.#.b|a.x.y.b|true", "a.#.b|a.x.y.c|false",
					"*|word|true", "*|two.words|false", "*.*|a.b|true", "a.#.#.b|a.b|true", "#.#|x|true",
					// empty words: "a..b" has three words, the middle one empty
					"a.*.b|a..b|true", "a.#.b|a..b|true", "a.b|a..b|false", "a..b|a..b|true", "*.b|.b|true",
					"a.*|a.|true", "a.#|a.|true", "*|a.|false" })
	void topicMatching(String pattern, String key, boolean expected) {
		assertThat(RoutingKeys.matches(true, pattern, key)).isEqualTo(expected);
	}

	@Test
	void directMatchingIsEquality() {
		assertThat(RoutingKeys.matches(false, "test_rk_1", "test_rk_1")).isTrue();
		assertThat(RoutingKeys.matches(false, "test_rk_1", "test_rk_2")).isFalse();
		assertThat(RoutingKeys.matches(false, "a.b", "a.b")).isTrue();
	}

	@Test
	void manyHashWordsMatchInLinearTime() {
		String pattern = "#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.#.z";
		String key = "a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.y";
		assertThat(RoutingKeys.matches(true, pattern, key)).isFalse();
	}

	@Test
	void validatesKeysAndPatterns() {
		assertThat(RoutingKeys.validateKey("image.png.resize")).isEqualTo("image.png.resize");
		assertThat(RoutingKeys.validateKey("a..b")).isEqualTo("a..b");
		assertThat(RoutingKeys.validatePattern("image.*.#")).isEqualTo("image.*.#");
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeys.validateKey(""))
			.withMessage("Invalid routing key: it must not be empty");
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeys.validateKey("image.*"))
			.withMessageContaining("word '*' has the character '*'");
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeys.validatePattern("image.png*"))
			.withMessageContaining("'*' and '#' are whole words");
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeys.validatePattern("a b"))
			.withMessageContaining("U+0020");
		assertThatIllegalArgumentException().isThrownBy(() -> RoutingKeys.validatePattern("x".repeat(256)))
			.withMessageContaining("at most 255");
	}

}
