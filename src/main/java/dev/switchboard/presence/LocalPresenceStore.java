package dev.switchboard.presence;

import io.vertx.core.Future;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The store of a single broker: one map, one lock. Users without devices are kept until pruned. */
final class LocalPresenceStore implements PresenceStore {
  private final Clock clock;
  private final Map<String, UserDevices> users = new HashMap<>();

  LocalPresenceStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<PresenceView> apply(String user, DeviceOp op) {
    UserDevices record = users.get(user);
    if (record == null) {
      if (op.kind() == DeviceOp.Kind.REMOVE || op.kind() == DeviceOp.Kind.CALL_END) {
        return Future.succeededFuture();
      }
      record = new UserDevices(user);
      users.put(user, record);
    }
    return Future.succeededFuture(record.apply(op, clock.millis()));
  }

  @Override
  public synchronized Future<PresenceView> get(String user) {
    UserDevices record = users.get(user);
    return Future.succeededFuture(record == null ? PresenceView.offline(user) : record.view());
  }

  @Override
  public synchronized Future<Map<String, Set<String>>> localDevices() {
    Map<String, Set<String>> devices = new HashMap<>();
    users.forEach((user, record) -> {
      if (!record.isEmpty()) {
        devices.put(user, record.peers());
      }
    });
    return Future.succeededFuture(devices);
  }

  @Override
  public synchronized Future<Void> pruneEmpty(long beforeMillis) {
    users.values().removeIf(record -> record.isEmpty() && record.view().version() < beforeMillis * 1000);
    return Future.succeededFuture();
  }

  synchronized int size() {
    return users.size();
  }
}
