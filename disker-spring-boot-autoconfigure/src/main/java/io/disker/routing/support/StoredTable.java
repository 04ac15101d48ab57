package io.disker.routing.support;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An exchange's binding table as read from Redis.
 *
 * @param version the table's version (0 if the exchange was never declared)
 * @param type the exchange type as stored ({@code direct}, {@code topic}, or empty if not
 * declared)
 * @param alternateQueue the alternate queue, or {@code null}
 * @param bindings each binding as {@code [queue, key]}
 * @author Disker team
 * @since 0.1.0
 */
public record StoredTable(long version, String type, @Nullable String alternateQueue, List<String[]> bindings) {

}
