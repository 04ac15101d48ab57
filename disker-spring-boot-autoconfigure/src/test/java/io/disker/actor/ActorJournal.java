package io.disker.actor;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the test actors of this JVM did, by actor id.
 */
final class ActorJournal {

	private static final Map<String, List<String>> events = new ConcurrentHashMap<>();

	private static final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private ActorJournal() {
	}

	static void event(String actorId, String event) {
		events.computeIfAbsent(actorId, (id) -> new CopyOnWriteArrayList<>()).add(event);
	}

	static List<String> events(String actorId) {
		return List.copyOf(events.getOrDefault(actorId, List.of()));
	}

	static int increment(String key) {
		return counts.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	static int count(String key) {
		AtomicInteger count = counts.get(key);
		return (count != null) ? count.get() : 0;
	}

	static long countEvents(String event) {
		return events.values().stream().flatMap(List::stream).filter(event::equals).count();
	}

	static void clear() {
		events.clear();
		counts.clear();
	}

}
