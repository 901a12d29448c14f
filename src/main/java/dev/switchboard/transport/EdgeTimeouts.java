package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;

import java.util.concurrent.TimeUnit;

/** The HTTP edge's timeouts ({@code header_timeout}, {@code body_timeout}, {@code http_idle_timeout}), in ms. */
record EdgeTimeouts(long headerMillis, long bodyMillis, long idleMillis) {
  static EdgeTimeouts of(SwitchboardOptions options) {
    return new EdgeTimeouts(options.getHeaderTimeout(), options.getBodyTimeout(), options.getHttpIdleTimeout());
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
