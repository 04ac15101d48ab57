package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Holds several {@link DiskerListener} annotations on one method.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface DiskerListeners {

	/**
	 * The listener annotations.
	 * @return the annotations
	 */
	DiskerListener[] value();

}
