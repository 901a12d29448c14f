package dev.switchboard.support;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Vertx;

import java.time.Clock;

/** Starts brokers for tests: loopback, port 0, two event loops so cross-loop paths are exercised. */
public final class Brokers {
  private Brokers() {
  }

  public static SwitchboardOptions options() {
    return new SwitchboardOptions().setHost("127.0.0.1").setPort(0).setEventLoops(2);
  }

  public static Switchboard start(Vertx vertx, SwitchboardOptions options) {
    return Await.result(Switchboard.start(vertx, options));
  }

  public static Switchboard start(Vertx vertx, SwitchboardOptions options, Clock clock) {
    return Await.result(Switchboard.start(vertx, options, clock));
  }
}
