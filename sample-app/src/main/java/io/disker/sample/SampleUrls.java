package io.disker.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Logs where the actuator endpoints of the running sample are.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
class SampleUrls {

	private static final Logger logger = LoggerFactory.getLogger(SampleUrls.class);

	@EventListener
	void started(WebServerInitializedEvent event) {
		String base = "http://localhost:" + event.getWebServer().getPort() + "/actuator";
		logger.info("[sample] actuator endpoints: {}/health, {}/metrics, {}/prometheus, {}/disker", base, base, base,
				base);
	}

}
