package io.disker.fault;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An append-only file of handler events, one line per event:
 * {@code S|E,<message id>,<attempt>,<pid>,<epoch ms>,<payload>} ({@code S} = handler
 * started, {@code E} = handler completed). Each line is written with one unbuffered
 * {@code write}, so a line survives a SIGKILL of the writer (it is in the page cache) and
 * lines of concurrent handlers never interleave. Checks read the ledgers, so Redis faults
 * cannot erase the evidence.
 */
final class Ledger {

	private final FileOutputStream out;

	private final long pid = ProcessHandle.current().pid();

	Ledger(Path file) {
		try {
			this.out = new FileOutputStream(file.toFile(), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void started(String id, int attempt, Object payload) {
		append("S", id, attempt, payload);
	}

	void completed(String id, int attempt, Object payload) {
		append("E", id, attempt, payload);
	}

	private void append(String event, String id, int attempt, Object payload) {
		String text = String.valueOf(payload);
		String shown = (text.length() > 40) ? text.substring(0, 40) : text;
		byte[] line = (event + "," + id + "," + attempt + "," + this.pid + "," + System.currentTimeMillis() + ","
				+ shown.replace(',', ';').replace('\n', ' ') + "\n")
			.getBytes(StandardCharsets.UTF_8);
		synchronized (this) {
			try {
				this.out.write(line);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/**
	 * Read ledgers; a file that does not exist yet counts as empty, a torn last line (the
	 * writer was killed mid-write, which one write call makes unlikely) is skipped.
	 */
	static List<Entry> read(Path... files) {
		List<Entry> entries = new ArrayList<>();
		for (Path file : files) {
			if (!Files.exists(file)) {
				continue;
			}
			try {
				String text = Files.readString(file, StandardCharsets.UTF_8);
				int end = text.lastIndexOf('\n');
				if (end < 0) {
					continue;
				}
				for (String line : text.substring(0, end).split("\n")) {
					entries.add(Entry.parse(line));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return entries;
	}

	static List<Entry> completions(Path... files) {
		return read(files).stream().filter(Entry::completed).toList();
	}

	/**
	 * @return how often each id was handled to completion, in first-completion order
	 */
	static Map<String, Long> completionCounts(Collection<Entry> entries) {
		return entries.stream()
			.filter(Entry::completed)
			.collect(Collectors.groupingBy(Entry::id, LinkedHashMap::new, Collectors.counting()));
	}

	static long count(Collection<Entry> entries, Predicate<Entry> filter) {
		return entries.stream().filter(filter).count();
	}

	/**
	 * One ledger line.
	 */
	record Entry(boolean completed, String id, int attempt, long pid, long time, String payload) {

		static Entry parse(String line) {
			String[] parts = line.split(",", 6);
			return new Entry(parts[0].equals("E"), parts[1], Integer.parseInt(parts[2]), Long.parseLong(parts[3]),
					Long.parseLong(parts[4]), (parts.length > 5) ? parts[5] : "");
		}

	}

}
