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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

  /** A call homed on another node that peers of this node are in. */
  private record Route(String home, String fromUser, Set<String> peers) {
  }

  private final EventBus bus;
  private final ClusterNode cluster;
  private final Broker broker;
  private final CallService service;
  private final String self;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();
  private final MessageConsumer<JsonObject> consumer;

  CallMesh(Vertx vertx, ClusterNode cluster, Broker broker, CallService service) {
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
    for (var entry : routes.entrySet()) {
      Route route = entry.getValue();
      if (route.fromUser() != null && route.fromUser().equals(to) && route.peers().contains(peer)) {
        return route.home();
      }
    }
    return null;
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
    Route route = routes.get(callId);
    Future<Boolean> first = route == null ? Future.succeededFuture(false) : ask(route.home(), peer, user, type, payload);
    first.recover(e -> Future.succeededFuture(false)).onSuccess(handled -> {
      if (handled) {
        return;
      }
      List<Future<Boolean>> asked = new ArrayList<>();
      for (String node : cluster.nodes()) {
        if (!node.equals(self) && (route == null || !node.equals(route.home()))) {
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
        .put("payload", payload);
    return bus.<JsonObject>request(PREFIX + node, act, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(reply -> reply.body().getBoolean("handled", false));
  }

  /** {@code peer} of this node is gone for good: the homes of its calls elsewhere are told. */
  void gone(String peer) {
    Set<String> homes = new LinkedHashSet<>();
    routes.forEach((callId, route) -> {
      if (route.peers().remove(peer)) {
        homes.add(route.home());
        if (route.peers().isEmpty()) {
          routes.remove(callId, route);
        }
      }
    });
    for (String home : homes) {
      bus.send(PREFIX + home, new JsonObject().put("op", "gone").put("peer", peer));
    }
  }

  /** An OFFER or ANSWER from {@code from} passed this node: the homes of its calls elsewhere are told. */
  void media(String from, String to) {
    if (routes.isEmpty()) {
      return;
    }
    Set<String> homes = new LinkedHashSet<>();
    routes.values().forEach(route -> {
      if (route.peers().contains(from)) {
        homes.add(route.home());
      }
    });
    for (String home : homes) {
      bus.send(PREFIX + home, new JsonObject().put("op", "media").put("from", from).put("to", to));
    }
  }

  private void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    try {
      switch (body.getString("op", "")) {
        case "deliver" -> delivered(body);
        case "act" -> message.reply(new JsonObject().put("handled", acted(body)));
        case "gone" -> service.carryOutGone(body.getString("peer"));
        case "media" -> service.media(body.getString("from"), body.getString("to"));
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
    broker.send(peer, type, payload);
    if ("CALL-ENDED".equals(type)) {
      routes.computeIfPresent(callId, (id, route) -> {
        route.peers().remove(peer);
        return route.peers().isEmpty() ? null : route;
      });
    } else if (!"CALL-ERROR".equals(type) && callId != null) {
      String fromUser = "CALL-INCOMING".equals(type) ? payload.getString("from") : null;
      routes.compute(callId, (id, route) -> {
        Route r = route != null ? route
            : new Route(body.getString("home"), fromUser, ConcurrentHashMap.newKeySet());
        r.peers().add(peer);
        return r;
      });
    }
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
    routes.forEach((callId, route) -> {
      if (route.home().equals(node) && routes.remove(callId, route)) {
        for (String peer : route.peers()) {
          broker.send(peer, "CALL-ENDED", new JsonObject().put("callId", callId).put("reason", "remote_disconnected"));
        }
      }
    });
    for (String peer : service.homeParties()) {
      if (!broker.lookup(peer).connected()) {
        service.departures().watch(peer, null);
      }
    }
  }
}
