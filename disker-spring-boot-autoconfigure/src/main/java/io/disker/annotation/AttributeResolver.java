package io.disker.annotation;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.util.StringUtils;

/**
 * Resolves the {@code String} attributes of Disker's listener annotations: {@code ${...}}
 * placeholders first, then the value's type. An empty value means "not set"; a value that
 * is not of its type fails with an {@link IllegalArgumentException} naming the attribute.
 *
 * @author Disker team
 * @since 0.1.0
 */
final class AttributeResolver {

	private final @Nullable BeanFactory beanFactory;

	AttributeResolver(@Nullable BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	String resolve(String value) {
		if (this.beanFactory instanceof ConfigurableBeanFactory configurable && StringUtils.hasText(value)) {
			String resolved = configurable.resolveEmbeddedValue(value);
			return (resolved != null) ? resolved : "";
		}
		return value;
	}

	@Nullable Integer integer(String value, String attribute) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return Integer.valueOf(resolved);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	@Nullable Double decimal(String value, String attribute) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return Double.valueOf(resolved);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' is not a number", ex);
		}
	}

	@Nullable Duration duration(String value, String attribute) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		try {
			return DurationFormatterUtils.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					attribute + " '" + resolved + "' is not a duration (e.g. 500ms, 10s, PT1M)", ex);
		}
	}

	@Nullable Boolean bool(String value, String attribute) {
		String resolved = resolve(value).trim();
		if (resolved.isEmpty()) {
			return null;
		}
		if (!resolved.equalsIgnoreCase("true") && !resolved.equalsIgnoreCase("false")) {
			throw new IllegalArgumentException(attribute + " '" + resolved + "' must be true or false");
		}
		return Boolean.valueOf(resolved);
	}

}
