package dev.switchboard.presence;

import dev.switchboard.routing.Broker;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Removes devices that are connected nowhere for longer than the reconnect grace, from the records this
 * node keeps: the devices of a node that died or was cut off (nobody is left to tell of their departure).
 * Every node sweeps its own share of the map, so the whole map is swept once per round.
 */
final class DeviceSweep {
  private final Vertx vertx;
  private final PresenceStore store;
  private final Broker broker;
  private final long graceMs;
  private final long periodMs;
  private final Consumer<PresenceView> published;
  private final Map<String, Long> missingSince = new HashMap<>();
  private long timer = -1;
  private boolean running;

  DeviceSweep(Vertx vertx, PresenceStore store, Broker broker, long graceMs, Consumer<PresenceView> published) {
    this.vertx = vertx;
    this.store = store;
    this.broker = broker;
    this.graceMs = graceMs;
    this.periodMs = Math.max(250, Math.min(graceMs / 4, 5_000));
    this.published = published;
  }

  void start() {
    timer = vertx.setPeriodic(periodMs, t -> round());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  // One round at a time: a slow map does not pile rounds up.
  private void round() {
    if (running) {
      return;
    }
    running = true;
    long now = broker.clock().millis();
    store.localDevices()
        .compose(devices -> {
          sweep(devices, now);
          return store.pruneEmpty(now - PresenceService.KEEP_EMPTY_MS);
        })
        .onComplete(done -> running = false);
  }

  private void sweep(Map<String, Set<String>> devices, long now) {
    Set<String> seen = new HashSet<>();
    devices.forEach((user, peers) -> {
      for (String peer : peers) {
        if (broker.lookup(peer).connected()) {
          continue;
        }
        seen.add(peer);
        long since = missingSince.computeIfAbsent(peer, p -> now);
        if (now - since >= graceMs) {
          store.apply(user, DeviceOp.remove(peer)).onSuccess(published::accept);
        }
      }
    });
    missingSince.keySet().retainAll(seen);
  }
}
