package dev.switchboard.presence;

import dev.switchboard.rooms.RoomChange;
import dev.switchboard.rooms.RoomListener;
import dev.switchboard.rooms.RoomMember;
import dev.switchboard.rooms.Rooms;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Rooms kept in memory for presence's tests: joins and leaves by hand, listeners told as the contract says. */
public final class MemoryRooms implements Rooms {
  private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, RoomMember>> rooms = new LinkedHashMap<>();

  @Override
  public void addListener(RoomListener listener) {
    listeners.add(listener);
  }

  @Override
  public synchronized Set<String> roomMatesOf(String userId) {
    Set<String> mates = new HashSet<>();
    for (Map<String, RoomMember> members : rooms.values()) {
      if (members.values().stream().anyMatch(m -> m.userId().equals(userId))) {
        members.values().forEach(m -> mates.add(m.userId()));
      }
    }
    mates.remove(userId);
    return mates;
  }

  public void join(String roomId, String peerId, String userId) {
    RoomMember member = new RoomMember(peerId, userId);
    List<RoomMember> after;
    synchronized (this) {
      Map<String, RoomMember> members = rooms.computeIfAbsent(roomId, r -> new LinkedHashMap<>());
      members.put(peerId, member);
      after = new ArrayList<>(members.values());
    }
    fire(new RoomChange(roomId, RoomChange.Kind.JOINED, member, after));
  }

  public void leave(String roomId, String peerId) {
    RoomMember member;
    List<RoomMember> after;
    synchronized (this) {
      Map<String, RoomMember> members = rooms.getOrDefault(roomId, new LinkedHashMap<>());
      member = members.remove(peerId);
      after = new ArrayList<>(members.values());
    }
    if (member != null) {
      fire(new RoomChange(roomId, RoomChange.Kind.LEFT, member, after));
    }
  }

  private void fire(RoomChange change) {
    listeners.forEach(l -> l.roomChanged(change));
  }
}
