package io.disker.sample;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.disker.annotation.DiskerListener;
import io.disker.core.DiskerMessage;
import io.disker.core.TaskId;
import io.disker.routing.DiskerRouting;
import io.disker.routing.UnroutableMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Publishes through an exchange (Dispatcher style): every three seconds an image task
 * goes to the topic exchange {@code images} with a routing key such as
 * {@code image.png.resize}. The bindings in {@code application.yml} route it: resize keys
 * to the {@code thumbnails} queue, every {@code image.*} key also to {@code image-audit};
 * a {@code video.*} key matches no binding and the send fails with
 * {@link UnroutableMessageException}. The {@code resize} task receives its arguments
 * positionally. Switched off with {@code sample.images.enabled=false}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.images.enabled", matchIfMissing = true)
public class ImagePipeline {

	private static final Logger logger = LoggerFactory.getLogger(ImagePipeline.class);

	private static final List<String> KEYS = List.of("image.png.resize", "image.jpg.resize", "image.gif.inspect",
			"video.mp4.resize");

	private final DiskerRouting routing;

	private final AtomicInteger ticks = new AtomicInteger();

	public ImagePipeline(DiskerRouting routing) {
		this.routing = routing;
	}

	@Scheduled(initialDelay = 1500, fixedDelay = 3000)
	void publish() {
		int tick = this.ticks.getAndIncrement();
		String key = KEYS.get(tick % KEYS.size());
		String url = "photo-" + tick + "." + key.split("\\.")[1];
		this.routing.send("images", key, DiskerMessage.to("images").task("resize").args(url, 640, 480).build())
			.whenComplete((id, ex) -> {
				Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
				if (cause instanceof UnroutableMessageException unroutable) {
					logger.info("Not published: {}", unroutable.getMessage());
				}
				else if (cause != null) {
					logger.warn("Publishing {} failed: {}", key, cause.toString());
				}
				else {
					logger.info("Published {} with routing key {}", url, key);
				}
			});
	}

	@DiskerListener(queue = "thumbnails", task = "resize")
	void resize(@TaskId String id, String url, int width, int height) {
		logger.info("Resizing {} to {}x{} (task {})", url, width, height, id);
	}

	@DiskerListener(queue = "image-audit", task = "resize")
	void audit(String url, int width, int height) {
		logger.info("Audit: {} was published", url);
	}

}
