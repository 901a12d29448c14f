package dev.switchboard.calls;

import dev.switchboard.cluster.ClusterNode;
import dev.switchboard.routing.Broker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The calls' side of a cluster: each node consumes at {@code switchboard.calls.<node id>} (the Vert.x
 * node id, which survives a merge). The home of a call sends the frames for parties on other nodes to
 * their node ({@code deliver}); that node remembers which of its peers are in which call homed where
 * (its routes) and sends their frames about the call to the home ({@code act}), where one lock
 * serialises every transition — so the first CALL-ACCEPT to reach the home wins, cluster-wide. A node
 * that has no route for a callId asks every other node. When a node leaves, the calls homed there end
 * for the parties here ({@code remote_disconnected}), and parties of this node's calls that were on it
 * get the reconnect grace to come back elsewhere.
 */
final class CallMesh {
  private static final Logger LOG = Logger.getLogger(CallMesh.class.getName());
  private static final String PREFIX = "switchboard.calls.";
  private static final long ASK_TIMEOUT_MS = 2_000;
  // A home acts on a request only while its sender still waits for the answer, with this much of the
  // wait left for the answer to travel back; later (held up by a network cut and retransmitted once the
  // link is back) the sender has already told its peer not_found, and acting would contradict that.
  private static final long ANSWER_MARGIN_MS = 500;
  private static final long ADMISSION_RETRY_MS = 10;
  private static final int ADMISSION_RETRIES = 100;

  private final Vertx vertx;
  private final EventBus bus;
  private final ClusterNode cluster;
  private final Broker broker;
  private final CallService service;
  private final String self;
  private final CallRoutes routes = new CallRoutes();
  private final MessageConsumer<JsonObject> consumer;

  CallMesh(Vertx vertx, ClusterNode cluster, Broker broker, CallService service) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.cluster = cluster;
    this.broker = broker;
    this.service = service;
    this.self = cluster.nodeId();
    this.consumer = bus.consumer(PREFIX + self, this::handle);
    cluster.onNodeLeft(this::nodeLeft);
  }

  Future<Void> close() {
    return consumer.unregister();
  }

  /** Sends a frame of one of this node's calls to {@code node}, which holds its peer. */
  void deliver(String node, Effects.Send send) {
    bus.send(PREFIX + node, new JsonObject().put("op", "deliver").put("home", self).put("peer", send.peer())
        .put("callId", send.callId()).put("type", send.type()).put("payload", send.payload()));
  }

  /** The home of a call that rings {@code peer} from user {@code to}, where an invite to {@code to} merges. */
  String glareHome(String peer, String to) {
    return routes.glareHome(peer, to);
  }

  /** Hands {@code peer}'s frame to {@code home}; the home answers errors to the peer itself. */
  void act(String home, String peer, String user, String type, JsonObject payload) {
    ask(home, peer, user, type, payload).onComplete(done -> {
      if (done.failed() || !done.result()) {
        // The home no longer has it (the call ended meanwhile): an invite is handled here instead.
        if ("CALL-INVITE".equals(type)) {
          service.invite(peer, user, service.parseInvite(payload));
        } else {
          service.refuse(peer, new CallError(CallError.NOT_FOUND, payload.getString("callId"), "no such call"));
        }
      }
    });
  }

  /** A frame about {@code callId}, which this node is not home to: to its home, else whoever has it. */
  void forward(String callId, String peer, String user, String type, JsonObject payload) {
    String home = routes.homeOf(callId);
    Future<Boolean> first = home == null ? Future.succeededFuture(false) : ask(home, peer, user, type, payload);
    first.recover(e -> Future.succeededFuture(false)).onSuccess(handled -> {
      if (handled) {
        return;
      }
      List<Future<Boolean>> asked = new ArrayList<>();
      for (String node : cluster.nodes()) {
        if (!node.equals(self) && !node.equals(home)) {
          asked.add(ask(node, peer, user, type, payload).otherwise(false));
        }
      }
      Future.all(asked).onComplete(all -> {
        boolean any = all.succeeded() && all.result().list().stream().anyMatch(Boolean.TRUE::equals);
        if (!any) {
          service.refuse(peer, new CallError(CallError.NOT_FOUND, callId, "no such call"));
        }
      });
    });
  }

  private Future<Boolean> ask(String node, String peer, String user, String type, JsonObject payload) {
    JsonObject act = new JsonObject().put("op", "act").put("peer", peer).put("user", user).put("type", type)
        .put("payload", payload).put("actBy", broker.clock().millis() + ASK_TIMEOUT_MS - ANSWER_MARGIN_MS);
    return bus.<JsonObject>request(PREFIX + node, act, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(reply -> reply.body().getBoolean("handled", false));
  }

  /** {@code peer} left this node for another: its routes here are dropped. */
  void forget(String peer) {
    routes.removePeer(peer);
  }

  /** {@code peer} of this node is gone for good: the homes of its calls elsewhere are told. */
  void gone(String peer) {
    for (String home : routes.removePeer(peer)) {
      bus.send(PREFIX + home, new JsonObject().put("op", "gone").put("peer", peer));
    }
  }

  /** An OFFER or ANSWER from {@code from} passed this node: the homes of its calls elsewhere are told. */
  void media(String from, String to) {
    for (String home : routes.homesOf(from)) {
      bus.send(PREFIX + home, new JsonObject().put("op", "media").put("from", from).put("to", to));
    }
  }

  /** An inferred call's ANSWER or LEAVE passed here: to the node of {@code to}, where its OFFER passed. */
  void inferred(String what, String from, String to, String connectionId) {
    String node = broker.lookup(to).node();
    if (node != null) {
      bus.send(PREFIX + node, new JsonObject().put("op", "inferred").put("what", what).put("from", from).put("to", to)
          .put("connectionId", connectionId));
    }
  }

  private void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    try {
      switch (body.getString("op", "")) {
        case "deliver" -> delivered(body);
        case "act" -> message.reply(new JsonObject().put("handled", inTime(body) && acted(body)));
        case "gone" -> service.carryOutGone(body.getString("peer"));
        case "media" -> service.media(body.getString("from"), body.getString("to"));
        case "inferred" -> service.inferredElsewhere(body.getString("what"), body.getString("from"), body.getString("to"),
            body.getString("connectionId"));
        default -> LOG.warning(() -> "unknown calls message " + body.getString("op"));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not handle a calls message", e);
    }
  }

  private void delivered(JsonObject body) {
    String peer = body.getString("peer");
    String callId = body.getString("callId");
    String type = body.getString("type");
    JsonObject payload = body.getJsonObject("payload");
    sendWhenReady(peer, type, payload, ADMISSION_RETRIES);
    if ("CALL-ENDED".equals(type)) {
      routes.remove(callId, peer);
    } else if (!"CALL-ERROR".equals(type) && callId != null) {
      routes.add(callId, body.getString("home"), "CALL-INCOMING".equals(type) ? payload.getString("from") : null, peer);
    }
  }

  // The home hears of a peer that connected here from the registry, which is written while the peer is
  // still being admitted (before this node holds its link, before OPEN and its queued messages): a frame
  // for it waits for that, briefly. One for a peer that is neither here nor elsewhere waits as long.
  private void sendWhenReady(String peer, String type, JsonObject payload, int retries) {
    var location = broker.lookup(peer);
    var link = location.link();
    boolean admitting = link != null ? !link.isReady() && !link.isClosed() : !location.connected();
    if (admitting && retries > 0) {
      vertx.setTimer(ADMISSION_RETRY_MS, t -> sendWhenReady(peer, type, payload, retries - 1));
      return;
    }
    broker.send(peer, type, payload);
  }

  // The deadline is the sender's wall clock, as the relay's stale-message rule (docs/cluster.md): nodes
  // need synchronised clocks. A request without one (a node of an older version) is taken.
  private boolean inTime(JsonObject body) {
    long actBy = body.getLong("actBy", Long.MAX_VALUE);
    if (broker.clock().millis() <= actBy) {
      return true;
    }
    LOG.fine(() -> "dropped a late " + body.getString("type") + " of " + body.getString("peer")
        + ": its node has answered it already");
    return false;
  }

  private boolean acted(JsonObject body) {
    String peer = body.getString("peer");
    String type = body.getString("type");
    JsonObject payload = body.getJsonObject("payload");
    try {
      if ("CALL-INVITE".equals(type)) {
        service.invite(peer, body.getString("user"), service.parseInvite(payload));
        return true;
      }
      if (!service.isHome(CallRequests.callId(payload))) {
        return false;
      }
      service.act(peer, type, payload);
    } catch (CallError e) {
      service.refuse(peer, e);
    }
    return true;
  }

  // Calls homed on the node that left end for their parties here; this node's calls give their parties
  // that were on it the reconnect grace to come back on another node.
  private void nodeLeft(String node) {
    routes.removeHome(node).forEach((callId, peers) -> {
      for (String peer : peers) {
        broker.send(peer, "CALL-ENDED", new JsonObject().put("callId", callId).put("reason", "remote_disconnected"));
      }
    });
    for (String peer : service.homeParties()) {
      if (!broker.lookup(peer).connected()) {
        service.departures().watch(peer, null);
      }
    }
  }
}
