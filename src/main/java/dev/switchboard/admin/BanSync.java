package dev.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every node's {@link BanList} equal: a change is written to the cluster's store, then published
 * to every node (which applies it and ends its own peers of a banned user); every {@link #RELOAD_MS} each
 * node reads the store again, which heals a missed message or a split.
 */
final class BanSync {
  private static final Logger LOG = Logger.getLogger(BanSync.class.getName());
  static final String ADDRESS = "switchboard.admin.bans";
  static final long RELOAD_MS = 10_000;

  private final Vertx vertx;
  private final Clock clock;
  private final BanList list;
  private final BanStore store;
  private final Consumer<String> endPeersOf;
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;

  /** @param endPeersOf ends this node's connected peers of a user */
  BanSync(Vertx vertx, Clock clock, BanList list, BanStore store, Consumer<String> endPeersOf) {
    this.vertx = vertx;
    this.clock = clock;
    this.list = list;
    this.store = store;
    this.endPeersOf = endPeersOf;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().consumer(ADDRESS, message -> apply(message.body()));
    return consumer.completion().compose(v -> reload()).onSuccess(v ->
        timer = vertx.setPeriodic(RELOAD_MS, t -> reload()));
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (consumer != null) {
      consumer.unregister();
    }
  }

  Future<Void> ban(Ban ban) {
    return store.put(ban, clock.millis()).onSuccess(v -> {
      JsonObject change = new JsonObject().put("ban", ban.toJson());
      apply(change);
      vertx.eventBus().publish(ADDRESS, change);
    });
  }

  Future<Void> lift(String user) {
    return store.remove(user).onSuccess(v -> {
      JsonObject change = new JsonObject().put("lift", user);
      apply(change);
      vertx.eventBus().publish(ADDRESS, change);
    });
  }

  // Applied twice on the node that made the change (at once, and when its own publication arrives): harmless.
  private void apply(JsonObject change) {
    JsonObject ban = change.getJsonObject("ban");
    if (ban != null) {
      Ban parsed = Ban.fromJson(ban);
      list.add(parsed);
      endPeersOf.accept(parsed.user());
    } else if (change.getString("lift") != null) {
      list.lift(change.getString("lift"));
    }
  }

  private Future<Void> reload() {
    long started = clock.millis();
    return store.all().onComplete(read -> {
      if (read.failed()) {
        LOG.log(Level.WARNING, "reading the cluster's bans failed; this node keeps its view", read.cause());
      } else if (read.result() != null) {
        list.replaceAll(read.result(), started).forEach(endPeersOf);
      }
    }).transform(ignored -> Future.succeededFuture());
  }
}
