package dev.switchboard.routing;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.MessageType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/** The {@link Broker} of a {@link SignalRouter}: its directory, its delivery path and the cluster beyond. */
final class RouterBroker implements Broker {
  private final SignalRouter router;
  private final Delivery delivery;
  private final RemotePeers remote;

  RouterBroker(SignalRouter router, Delivery delivery, RemotePeers remote) {
    this.router = router;
    this.delivery = delivery;
    this.remote = remote;
  }

  @Override
  public boolean send(String peerId, byte[] message) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(message, "message");
    return sent(delivery.deliver("", Delivery.UNNAMED, peerId, message, Delivery.UNSTAMPED, true));
  }

  @Override
  public boolean send(String peerId, String type, JsonObject payload) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(payload, "payload: PeerJS warns about a frame without one");
    if (MessageType.fromWire(type) != null || MessageHandlers.SERVER_ONLY.contains(type)) {
      throw new IllegalArgumentException("Message type " + type + " is PeerServer's: PeerJS relies on its shape;"
          + " send it encoded with send(peerId, bytes)");
    }
    if (payload.containsKey("connectionId")) {
      throw new IllegalArgumentException("A broker message's payload must not have a connectionId: PeerJS would"
          + " keep a " + type + " frame with one until an OFFER of that connection arrives, forever if none does");
    }
    byte[] message = FrameCodec.typed(type, payload.toBuffer().getBytes());
    return sent(delivery.deliver("", MessageType.of(type), peerId, message, Delivery.UNSTAMPED, true));
  }

  private static boolean sent(Delivery.Outcome outcome) {
    return outcome == Delivery.Outcome.DELIVERED || outcome == Delivery.Outcome.FORWARDED;
  }

  @Override
  public void relay(PeerLink from, ClientFrame frame) {
    if (frame.dst() == null) {
      router.reject(from, "dst missing");
      return;
    }
    // PeerServer's types are resolved by the codec; an application's is named here, off the PeerJS path.
    MessageType type = frame.type() != null ? frame.type() : MessageType.of(frame.typeName());
    delivery.relay(from, type, frame.dst(), FrameCodec.relayed(frame, from.id(), from.srcMember()));
  }

  @Override
  public void end(PeerLink peer, CloseReason reason) {
    router.end(peer, reason);
  }

  @Override
  public boolean end(String peerId, CloseReason reason) {
    Objects.requireNonNull(reason, "reason");
    PeerLink link = router.directory().lookup(peerId);
    if (link != null) {
      router.end(link, reason);
      return true;
    }
    return remote.end(peerId, reason);
  }

  @Override
  public PeerLocation lookup(String peerId) {
    PeerLink link = router.directory().lookup(peerId);
    if (link != null) {
      return PeerLocation.here(link);
    }
    return router.directory().contains(peerId) ? PeerLocation.elsewhere(remote.nodeOf(peerId)) : PeerLocation.NOWHERE;
  }

  @Override
  public Future<List<String>> peersOfUser(String userId) {
    Objects.requireNonNull(userId, "userId");
    return router.directory().peersOfUser(userId);
  }

  @Override
  public Clock clock() {
    return router.clock();
  }
}
