package io.disker.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test against a throwaway redis-server ({@link TestRedisServer}).
 * <p>
 * On a Spring test class ({@code @SpringBootTest} and the like) the server is started
 * with the application context and stopped after it closes, and
 * {@code spring.data.redis.host}, {@code spring.data.redis.port} and
 * {@code spring.data.redis.url} point at it (they win over {@code application.yml} and
 * test properties, and drop a configured username, password and TLS);
 * {@code disker.embedded-redis.enabled} is turned off. Sentinel or Cluster settings of
 * the application would still win: leave them out of the test configuration. The context
 * also gets a {@link DiskerTestHarness} bean and the server as a {@link TestRedisServer}
 * bean. Test classes with the same {@code @DiskerTest} attributes and otherwise the same
 * configuration share one cached context, and so one server. <pre class="code">
 * &#64;SpringBootTest
 * &#64;DiskerTest
 * class OrderWorkerTests {
 *
 *     &#64;Autowired DiskerOperations disker;
 *     &#64;Autowired DiskerTestHarness harness;
 *
 *     &#64;Test
 *     void handlesAnOrder() {
 *         String id = disker.send("orders", new Order(1, "keyboard", 2)).join();
 *         harness.awaitHandled("orders", id);
 *     }
 * }
 * </pre>
 * <p>
 * On a plain JUnit class each test class gets its own server, stopped after the class;
 * declare a {@link TestRedisServer} parameter on a constructor, lifecycle or test method
 * to reach it.
 *
 * @author Disker team
 * @since 0.1.0
 * @see DiskerTestHarness
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DiskerTestExtension.class)
public @interface DiskerTest {

	/**
	 * Extra redis-server arguments, such as {@code {"--maxmemory", "32mb"}}.
	 * @return the arguments
	 */
	String[] serverArgs() default {};

}
