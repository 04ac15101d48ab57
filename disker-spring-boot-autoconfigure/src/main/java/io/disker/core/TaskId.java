package io.disker.core;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the {@code String} parameter of a task method that receives the message id (the
 * task id), Dispatcher's {@code TaskUUIDAsFirstArg}: <pre class="code">
 * &#64;DiskerListener(queue = "images", task = "resize")
 * void resize(&#64;TaskId String id, String url, int width, int height) { ... }
 * </pre>
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface TaskId {

}
