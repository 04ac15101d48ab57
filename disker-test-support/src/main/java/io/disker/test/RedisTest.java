package io.disker.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real Redis through {@link RedisExtension}: declare a
 * {@link RedisTarget} parameter on a constructor, lifecycle method or test method.
 * <pre>{@code
 * &#64;RedisTest
 * class QueueTests {
 *

&#64;Test
 *     void pushes(RedisTarget redis) {
 *         try (RedisCli cli = redis.cli()) {
 *             assertThat(cli.llen("queue")).isZero();
 *         }
 *     }
 * }
 * }</pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
public @interface RedisTest {

	/**
	 * Start a harness-owned redis-server even when an external server is configured, as
	 * fault tests must.
	 * @return whether to force an owned server
	 */
	boolean owned() default false;

	/**
	 * Extra redis-server arguments such as {@code {"--appendonly", "yes"}}; implies
	 * {@link #owned()}.
	 * @return the arguments
	 */
	String[] serverArgs() default {};

}
