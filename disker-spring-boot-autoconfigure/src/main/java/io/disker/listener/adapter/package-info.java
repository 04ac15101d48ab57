/**
 * Adapters that invoke listener methods through spring-messaging.
 */
@NullMarked
package io.disker.listener.adapter;

import org.jspecify.annotations.NullMarked;
