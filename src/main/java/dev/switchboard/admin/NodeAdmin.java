package dev.switchboard.admin;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.routing.CallInfo;
import dev.switchboard.routing.PeerLink;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * What the admin API asks of each node: its peers, the calls it is home to, and ending one of its peers.
 * On a single node it answers itself; in a cluster each node listens on its own event-bus address and a
 * question for the whole cluster is put to every node, those that do not answer in time named in the
 * answer.
 */
final class NodeAdmin {
  static final long ASK_TIMEOUT_MS = 2_000;

  /** What every node answered, and the nodes that did not. */
  record Gathered(JsonArray items, List<String> unreachable) {
  }

  private final Vertx vertx;
  private final String self;
  private final Supplier<List<String>> nodes;
  private final Supplier<Collection<PeerLink>> links;
  private final java.util.function.Function<String, PeerLink> local;
  private final Supplier<List<CallInfo>> calls;
  private final BiConsumer<PeerLink, CloseReason> end;
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param self this node's id, or {@code null} on a single node
   * @param nodes the cluster's nodes now (this one included)
   * @param links this node's peers
   * @param local this node's link of a peer id, or null
   * @param calls the calls this node is home to
   * @param end ends a peer of this node
   */
  NodeAdmin(Vertx vertx, String self, Supplier<List<String>> nodes, Supplier<Collection<PeerLink>> links,
            java.util.function.Function<String, PeerLink> local, Supplier<List<CallInfo>> calls,
            BiConsumer<PeerLink, CloseReason> end) {
    this.vertx = vertx;
    this.self = self;
    this.nodes = nodes;
    this.links = links;
    this.local = local;
    this.calls = calls;
    this.end = end;
  }

  static String address(String node) {
    return "switchboard.admin.node." + node;
  }

  Future<Void> start() {
    if (self == null) {
      return Future.succeededFuture();
    }
    consumer = vertx.eventBus().consumer(address(self), message -> message.reply(answer(message.body())));
    return consumer.completion();
  }

  void stop() {
    if (consumer != null) {
      consumer.unregister();
    }
  }

  /** {@code op} ("peers" or "calls") put to every node, the answers joined. */
  Future<Gathered> gather(String op) {
    List<String> all = self == null ? java.util.Collections.singletonList(null) : nodes.get();
    List<Future<JsonArray>> asked = new ArrayList<>();
    for (String node : all) {
      asked.add(ask(node, new JsonObject().put("op", op)).map(answer -> answer.getJsonArray("items")));
    }
    return Future.join(asked).transform(done -> {
      JsonArray items = new JsonArray();
      List<String> unreachable = new ArrayList<>();
      for (int i = 0; i < asked.size(); i++) {
        if (asked.get(i).succeeded()) {
          items.addAll(asked.get(i).result());
        } else {
          unreachable.add(all.get(i));
        }
      }
      return Future.succeededFuture(new Gathered(items, unreachable));
    });
  }

  /** Ends peer {@code peer} on {@code node} (null: here) after an ERROR with {@code text}; false if it is not there. */
  Future<Boolean> kick(String node, String peer, String text) {
    return ask(node, new JsonObject().put("op", "kick").put("peer", peer).put("text", text))
        .map(answer -> answer.getBoolean("ended", false));
  }

  private Future<JsonObject> ask(String node, JsonObject question) {
    if (node == null || node.equals(self)) {
      return Future.succeededFuture(answer(question));
    }
    return vertx.eventBus().<JsonObject>request(address(node), question,
        new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS)).map(reply -> reply.body());
  }

  private JsonObject answer(JsonObject question) {
    return switch (question.getString("op", "")) {
      case "peers" -> new JsonObject().put("items", peers());
      case "calls" -> new JsonObject().put("items", calls());
      case "kick" -> new JsonObject().put("ended", kickHere(question.getString("peer"), question.getString("text")));
      default -> new JsonObject().put("items", new JsonArray());
    };
  }

  private JsonArray peers() {
    JsonArray out = new JsonArray();
    for (PeerLink link : links.get()) {
      if (!link.isClosed()) {
        out.add(new JsonObject().put("id", link.id()).put("user", link.userId()).put("transport", link.transport())
            .put("node", self));
      }
    }
    return out;
  }

  private JsonArray calls() {
    JsonArray out = new JsonArray();
    for (CallInfo call : calls.get()) {
      out.add(new JsonObject().put("callId", call.callId()).put("state", call.acceptedAt() > 0 ? "active" : "ringing")
          .put("callerPeer", call.callerPeer()).put("callerUser", call.callerUser())
          .put("calleeUser", call.calleeUser()).put("acceptedPeer", call.acceptedPeer())
          .put("inferred", call.inferred()).put("invitedAt", call.invitedAt())
          .put("acceptedAt", call.acceptedAt() > 0 ? call.acceptedAt() : null).put("node", self));
    }
    return out;
  }

  private boolean kickHere(String peer, String text) {
    PeerLink link = peer == null ? null : local.apply(peer);
    if (link == null || link.isClosed()) {
      return false;
    }
    link.send(FrameCodec.error(text));
    end.accept(link, CloseReason.KICKED);
    return true;
  }

  /** Ends this node's peers of {@code user} (by verified user, or by peer id without auth) as banned. */
  void endPeersOf(String user) {
    for (PeerLink link : List.copyOf(links.get())) {
      String owner = link.userId() != null ? link.userId() : link.id();
      if (owner.equals(user)) {
        end.accept(link, CloseReason.BANNED);
      }
    }
  }
}
