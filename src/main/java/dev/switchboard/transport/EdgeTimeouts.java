package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;

import java.util.concurrent.TimeUnit;

import static dev.switchboard.transport.EdgeSettings.BODY_TIMEOUT;
import static dev.switchboard.transport.EdgeSettings.HEADER_TIMEOUT;
import static dev.switchboard.transport.EdgeSettings.HTTP_IDLE_TIMEOUT;

/** The HTTP edge's timeouts ({@code header_timeout}, {@code body_timeout}, {@code http_idle_timeout}), in ms. */
record EdgeTimeouts(long headerMillis, long bodyMillis, long idleMillis) {
  static EdgeTimeouts of(SwitchboardOptions options) {
    return new EdgeTimeouts(options.get(HEADER_TIMEOUT), options.get(BODY_TIMEOUT), options.get(HTTP_IDLE_TIMEOUT));
  }

  long headerNanos() {
    return TimeUnit.MILLISECONDS.toNanos(headerMillis);
  }

  long bodyNanos() {
    return TimeUnit.MILLISECONDS.toNanos(bodyMillis);
  }

  long idleNanos() {
    return TimeUnit.MILLISECONDS.toNanos(idleMillis);
  }
}
