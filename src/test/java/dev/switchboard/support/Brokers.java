package dev.switchboard.support;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

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

  /** Completes with the reason the first peer named {@code id} (or any peer, if null) is disconnected for. */
  public static CompletableFuture<CloseReason> disconnectOf(Switchboard broker, String id) {
    CompletableFuture<CloseReason> ended = new CompletableFuture<>();
    broker.addListener(new BrokerListener() {
      @Override
      public void peerDisconnected(PeerLink peer, CloseReason reason) {
        if (id == null || id.equals(peer.id())) {
          ended.complete(reason);
        }
      }
    });
    return ended;
  }
}
