package dev.switchboard.calls;

import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.Broker;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.Departures;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --leave_on_disconnect MS} (the 2Immerse call service's rule): when a peer has been gone MS
 * without coming back anywhere, each peer it sent OFFER, ANSWER or CANDIDATE to gets
 * {@code {"type":"LEAVE","src":<gone peer>,"dst":<them>}}, on whatever node it is, so PeerJS closes its
 * connections with the gone peer. Only what a peer sent is remembered, on its own node: every WebRTC
 * negotiation has each side send to the other (an OFFER one way, an ANSWER back), so that suffices. At
 * most {@value #MAX_CONTACTS} peers are remembered per peer, the most recent.
 */
final class LeaveOnDisconnect implements BrokerListener {
  static final int MAX_CONTACTS = 64;

  private final Broker broker;
  private final ConcurrentHashMap<String, Set<String>> contacts = new ConcurrentHashMap<>();

  LeaveOnDisconnect(Broker broker, Departures departures, long delayMs) {
    this.broker = broker;
    departures.subscribe(delayMs, gone -> leave(gone.peerId()), back -> {
      if (!broker.lookup(back.peerId()).isHere()) {
        contacts.remove(back.peerId()); // it carries on at another node, which remembers from now on
      }
    });
  }

  @Override
  public void messageRelayed(PeerLink from, MessageType type, String dst) {
    note(from, type, dst);
  }

  @Override
  public void messageQueued(PeerLink from, MessageType type, String dst) {
    note(from, type, dst);
  }

  private void note(PeerLink from, MessageType type, String dst) {
    if (type == MessageType.OFFER || type == MessageType.ANSWER || type == MessageType.CANDIDATE) {
      Set<String> known = contacts.computeIfAbsent(from.id(), id -> new LinkedHashSet<>());
      synchronized (known) {
        if (known.remove(dst) || known.size() < MAX_CONTACTS) {
          known.add(dst);
          return;
        }
        Iterator<String> oldest = known.iterator();
        oldest.next();
        oldest.remove();
        known.add(dst);
      }
    } else if (type == MessageType.LEAVE) {
      Set<String> known = contacts.get(from.id());
      if (known != null) {
        synchronized (known) {
          known.remove(dst);
        }
      }
    }
  }

  private void leave(String gone) {
    Set<String> known = contacts.remove(gone);
    if (known == null) {
      return;
    }
    List<String> peers;
    synchronized (known) {
      peers = List.copyOf(known);
    }
    for (String peer : peers) {
      String leave = new JsonObject().put("type", "LEAVE").put("src", gone).put("dst", peer).encode();
      broker.send(peer, leave.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** How many peers' contacts are remembered (for tests of the bound). */
  int remembered() {
    return contacts.size();
  }
}
