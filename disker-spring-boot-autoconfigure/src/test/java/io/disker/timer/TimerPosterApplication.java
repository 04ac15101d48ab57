package io.disker.timer;

import io.disker.boot.autoconfigure.DiskerTimerAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * A node with the timer auto-configuration and no {@code @TimerListener}: it can post,
 * not join.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration(DiskerTimerAutoConfiguration.class)
public class TimerPosterApplication {

}
