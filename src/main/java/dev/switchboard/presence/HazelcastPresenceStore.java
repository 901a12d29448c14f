package dev.switchboard.presence;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The cluster's store: a Hazelcast map of user id → that user's devices (encoded {@link UserDevices}),
 * changed only by entry processors, so changes from several nodes to one user are applied one at a time
 * on the partition that owns it. Async calls become Vert.x futures on the caller's context.
 */
final class HazelcastPresenceStore implements PresenceStore {
  /** The map's name. */
  static final String MAP = "switchboard.presence";

  private final Vertx vertx;
  private final Clock clock;
  private final IMap<String, String> users;

  HazelcastPresenceStore(Vertx vertx, HazelcastInstance hazelcast, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.users = hazelcast.getMap(MAP);
  }

  /**
   * Applies a {@link DeviceOp} where the entry lives. The time is the caller's, carried in the processor,
   * so a backup replica computes the same version as the owner.
   */
  static final class Apply implements EntryProcessor<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final DeviceOp op;
    private final long at;

    Apply(DeviceOp op, long at) {
      this.op = op;
      this.at = at;
    }

    @Override
    public String process(Map.Entry<String, String> entry) {
      boolean absent = entry.getValue() == null;
      if (absent && (op.kind() == DeviceOp.Kind.REMOVE || op.kind() == DeviceOp.Kind.CALL_END)) {
        return null;
      }
      UserDevices record = UserDevices.decode(entry.getKey(), entry.getValue());
      PresenceView view = record.apply(op, at);
      entry.setValue(record.encode());
      return view == null ? null : view.toBus().encode();
    }
  }

  /** Drops the entry of a user without devices whose last change is older than {@code before}. */
  static final class Prune implements EntryProcessor<String, String, Void> {
    private static final long serialVersionUID = 1L;
    private final long beforeMillis;

    Prune(long beforeMillis) {
      this.beforeMillis = beforeMillis;
    }

    @Override
    public Void process(Map.Entry<String, String> entry) {
      if (entry.getValue() != null) {
        UserDevices record = UserDevices.decode(entry.getKey(), entry.getValue());
        if (record.isEmpty() && record.view().version() < beforeMillis * 1000) {
          entry.setValue(null);
        }
      }
      return null;
    }
  }

  @Override
  public Future<PresenceView> apply(String user, DeviceOp op) {
    return Future.fromCompletionStage(users.submitToKey(user, new Apply(op, clock.millis())), vertx.getOrCreateContext())
        .map(encoded -> encoded == null ? null : PresenceView.fromBus(new JsonObject(encoded)));
  }

  @Override
  public Future<PresenceView> get(String user) {
    return Future.fromCompletionStage(users.getAsync(user), vertx.getOrCreateContext())
        .map(encoded -> encoded == null ? PresenceView.offline(user) : UserDevices.decode(user, encoded).view());
  }

  @Override
  public Future<Map<String, Set<String>>> localDevices() {
    // localKeySet and getAll of local keys touch no other member, but are synchronous calls: off the loop.
    return vertx.executeBlocking(() -> {
      Map<String, Set<String>> devices = new HashMap<>();
      users.getAll(users.localKeySet()).forEach((user, encoded) -> {
        UserDevices record = UserDevices.decode(user, encoded);
        if (!record.isEmpty()) {
          devices.put(user, record.peers());
        }
      });
      return devices;
    }, false);
  }

  @Override
  public Future<Void> pruneEmpty(long beforeMillis) {
    return vertx.executeBlocking(() -> {
      Set<String> local = users.localKeySet();
      if (!local.isEmpty()) {
        users.executeOnKeys(local, new Prune(beforeMillis));
      }
      return null;
    }, false);
  }
}
