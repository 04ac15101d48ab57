package io.disker.actor.support;

import io.disker.actor.ActorContext;
import io.disker.actor.ActorMethod;
import io.disker.actor.DiskerActor;
import io.disker.core.InvalidNameException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * DWK-20 (registration validation), adapted: actor types are found from
 * {@code @DiskerActor} beans; names, scope and methods are checked at startup.
 */
class ActorTypesTests {

	@Test
	void typesComeFromDiskerActorBeansWithTheirClusterAndMethods() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Valid.class,
				Bound.class)) {
			ActorTypes types = ActorTypes.fromBeans(context.getBeanFactory(), "main");
			ActorType valid = types.get("valid");
			assertThat(valid).isNotNull();
			assertThat(valid.cluster()).isEqualTo("main");
			assertThat(valid.recoverable()).isTrue();
			assertThat(valid.methods()).containsOnlyKeys("hello", "renamed");
			assertThat(types.get("bound").cluster()).isEqualTo("c7");
			assertThat(types.clusters()).containsExactly("main", "c7");
			Object actor = valid.factory().apply(null);
			assertThat(actor).isInstanceOf(Valid.class);
			assertThat(valid.factory().apply(null)).isNotSameAs(actor);
		}
	}

	@Test
	void aSingletonActorBeanIsRejected() {
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Singleton.class)) {
			assertThatIllegalStateException().isThrownBy(() -> ActorTypes.fromBeans(context.getBeanFactory(), "main"))
				.withMessageContaining("must have prototype scope");
		}
	}

	@Test
	void methodsWithTwoParametersOrTheSameNameAreRejected() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ActorType.of("two", "main", false, false, TwoParameters.class, (c) -> null, (a) -> {
			}))
			.withMessageContaining("at most one parameter");
		assertThatIllegalStateException()
			.isThrownBy(() -> ActorType.of("same", "main", false, false, SameName.class, (c) -> null, (a) -> {
			}))
			.withMessageContaining("two @ActorMethod methods named 'x'");
	}

	@Test
	void invalidNamesAreRejected() {
		assertThatExceptionOfType(InvalidNameException.class)
			.isThrownBy(() -> ActorType.of("bad name", "main", false, false, Valid.class, (c) -> null, (a) -> {
			}));
		assertThatExceptionOfType(InvalidNameException.class)
			.isThrownBy(() -> ActorType.of("ok", "bad/cluster", false, false, Valid.class, (c) -> null, (a) -> {
			}));
		assertThat(ActorIds.validateReference("echo#12")).isEqualTo("echo#12");
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> ActorIds.validateExplicit("echo#12"));
		assertThatExceptionOfType(InvalidNameException.class).isThrownBy(() -> ActorIds.validateReference("a\nb"));
	}

	@DiskerActor(type = "valid", recoverable = true)
	static class Valid {

		@ActorMethod
		String hello() {
			return "hi";
		}

		@ActorMethod("renamed")
		String other(String in) {
			return in;
		}

		String notAnActorMethod() {
			return "";
		}

	}

	@DiskerActor(type = "bound", cluster = "c7")
	static class Bound {

		Bound(ActorContext context) {
		}

	}

	@DiskerActor(type = "single")
	@Scope(ConfigurableBeanFactory.SCOPE_SINGLETON)
	static class Singleton {

	}

	static class TwoParameters {

		@ActorMethod
		void x(String a, String b) {
		}

	}

	static class SameName {

		@ActorMethod("x")
		void a() {
		}

		@ActorMethod("x")
		void b() {
		}

	}

}
