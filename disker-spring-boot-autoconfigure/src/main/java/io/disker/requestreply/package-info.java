/**
 * Request/reply: the {@link io.disker.requestreply.RequestTemplate} that sends messages,
 * requests and replies, and the reply inbox that matches replies to pending requests.
 */
@NullMarked
package io.disker.requestreply;

import org.jspecify.annotations.NullMarked;
