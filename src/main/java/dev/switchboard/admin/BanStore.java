package dev.switchboard.admin;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Where bans outlive a node: nowhere on a single node, a Hazelcast map in a cluster. */
interface BanStore {
  String MAP = "switchboard.bans";

  Future<Void> put(Ban ban, long now);

  Future<Void> remove(String user);

  /** Every stored ban; {@code null} when there is no store to read (a single node's view is all). */
  Future<Collection<Ban>> all();

  /** A single node's: its {@link BanList} is the only copy. */
  BanStore NONE = new BanStore() {
    @Override
    public Future<Void> put(Ban ban, long now) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String user) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Collection<Ban>> all() {
      return Future.succeededFuture(null);
    }
  };

  /**
   * The cluster's bans, each entry living until its ban ends (Hazelcast's per-entry time to live). In a
   * split each side keeps the bans it has; a heal merges them (Hazelcast's default merge keeps an entry
   * either side has), so a ban set on either side holds everywhere afterwards — and one lifted on one
   * side during the split comes back from the other (docs/admin-api.md).
   */
  static BanStore hazelcast(Vertx vertx, HazelcastInstance hazelcast) {
    IMap<String, String> map = hazelcast.getMap(MAP);
    return new BanStore() {
      @Override
      public Future<Void> put(Ban ban, long now) {
        long ttl = ban.untilMs() == 0 ? 0 : Math.max(1, ban.untilMs() - now);
        return Future.fromCompletionStage(map.setAsync(ban.user(), ban.toJson().encode(), ttl, TimeUnit.MILLISECONDS),
            vertx.getOrCreateContext());
      }

      @Override
      public Future<Void> remove(String user) {
        return Future.fromCompletionStage(map.removeAsync(user), vertx.getOrCreateContext()).mapEmpty();
      }

      @Override
      public Future<Collection<Ban>> all() {
        return vertx.executeBlocking(() -> List.copyOf(map.values()).stream()
            .map(json -> Ban.fromJson(new JsonObject(json))).toList());
      }
    };
  }
}
