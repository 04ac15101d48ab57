package io.disker.sample;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.disker.annotation.TimerListener;
import io.disker.core.DiskerException;
import io.disker.timer.DTimer;
import io.disker.timer.ScheduledEvent;
import io.disker.timer.TimerEvent;
import io.disker.timer.TimerPost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Schedules a few reminders on Disker's distributed timer ({@link DTimer}) at startup and
 * logs them firing in {@link #remind(TimerEvent)}, a {@link TimerListener @TimerListener}
 * method:
 * <ul>
 * <li>{@code tea} fires after 2 s and {@code stand-up} after 4 s;</li>
 * <li>{@code dentist} is cancelled before it is due and never fires;</li>
 * <li>{@code invoice} allows 2 retries: its listener fails the first time, so the event
 * fires again after {@code disker.timer.confirm-timeout} and is confirmed then.</li>
 * </ul>
 * The ids are fixed, so a restart against the same Redis replaces the reminders instead
 * of adding more. Switched off with {@code sample.reminders.enabled=false}.
 *
 * @author Disker team
 * @since 0.1.0
 */
@Component
@ConditionalOnBooleanProperty(name = "sample.reminders.enabled", matchIfMissing = true)
public class Reminders {

	private static final Logger logger = LoggerFactory.getLogger(Reminders.class);

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

	private final DTimer timer;

	public Reminders(DTimer timer) {
		this.timer = timer;
	}

	@EventListener(ApplicationReadyEvent.class)
	void schedule() {
		try {
			post("tea", "the tea is ready", 2, 0);
			post("stand-up", "stand-up meeting", 4, 0);
			post("invoice", "send the invoice", 6, 2);
			post("dentist", "dentist appointment", 3, 0);
			ScheduledEvent<Reminder> dentist = this.timer.peek("dentist", Reminder.class).orElseThrow();
			boolean cancelled = this.timer.cancel("dentist");
			logger.info("[reminders] peek('dentist'): {}, due in {} ms; cancel('dentist') returned {}, "
					+ "so it never fires", dentist.state(), dentist.remaining().toMillis(), cancelled);
		}
		catch (DiskerException ex) {
			// DTimer operations block until Redis answered and throw when it cannot be
			// reached
			logger.warn("[reminders] could not schedule the reminders: {}", ex.getMessage());
		}
	}

	/**
	 * Receive each due reminder. A normal return confirms it; an exception does not, so a
	 * reminder posted with retries fires again after the confirm timeout.
	 * @param event the fired event, with its id, due time and retry counts
	 */
	@TimerListener
	public void remind(TimerEvent<Reminder> event) {
		long lateMillis = Duration.between(event.dueAt(), Instant.now()).toMillis();
		Reminder reminder = event.event();
		String text = (reminder != null) ? reminder.text() : "?";
		logger.info("[{}] timer event '{}' fired: \"{}\" (due {}, handled {} ms later{})",
				Thread.currentThread().getName(), event.id(), text, format(event.dueAt()), lateMillis,
				(event.maxRetries() > 0) ? ", retry " + event.numRetries() + " of " + event.maxRetries() : "");
		if ("invoice".equals(event.id()) && event.numRetries() == 0) {
			logger.info(
					"[{}] timer event 'invoice': the mail server is down, the listener throws; the event is "
							+ "not confirmed and fires again after disker.timer.confirm-timeout",
					Thread.currentThread().getName());
			throw new IllegalStateException("mail server down, invoice not sent");
		}
		if (event.maxRetries() > 0) {
			logger.info("[{}] timer event '{}' confirmed (the listener returned normally): it will not fire again",
					Thread.currentThread().getName(), event.id());
		}
	}

	private void post(String id, String text, int seconds, int maxRetries) {
		// the due time is taken from the Redis clock when Redis stores the event
		this.timer
			.post(TimerPost.of(new Reminder(text)).id(id).maxRetries(maxRetries).delay(Duration.ofSeconds(seconds)));
		logger.info("[reminders] posted timer event '{}' (\"{}\"), due in {} s{}", id, text, seconds,
				(maxRetries > 0) ? ", up to " + maxRetries + " retries until confirmed" : "");
	}

	private static String format(Instant instant) {
		return LocalTime.ofInstant(instant, ZoneId.systemDefault()).format(TIME);
	}

}
