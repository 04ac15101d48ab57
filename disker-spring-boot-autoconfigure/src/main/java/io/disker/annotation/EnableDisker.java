package io.disker.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Import;

/**
 * Enables detection of {@link DiskerListener @DiskerListener} methods. Spring Boot
 * applications get it from the auto-configuration; other applications put it on a
 * configuration class and define a
 * {@link io.disker.config.DiskerListenerContainerFactory} and a
 * {@link io.disker.core.support.MessageCodec} bean.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(DiskerBootstrapConfiguration.class)
public @interface EnableDisker {

}
