package dev.switchboard.cluster;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;
import dev.switchboard.routing.OfflineMailbox;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.RemotePeers;
import dev.switchboard.routing.SignalRouter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's end of the event bus: every node consumes at its own address {@code switchboard.node.<id>}
 * and others send to it point to point (never a broadcast). One consumer per node handles its messages
 * in arrival order, so one sender's messages reach the peer in the order they were sent.
 */
final class NodeBus implements RemotePeers {
  private static final Logger LOG = Logger.getLogger(NodeBus.class.getName());
  private static final String PREFIX = "switchboard.node.";
  private static final long COLLECT_TIMEOUT_MS = 2000;
  /** How long a node waits for the holder of a peer to take a frame the peer sent elsewhere. */
  private static final long HANDOVER_TIMEOUT_MS = 2000;

  private final EventBus bus;
  private final ClusteredPeerDirectory directory;
  private final Supplier<List<String>> nodes;
  private final Consumer<String> departed;
  private volatile SignalRouter router;
  private MessageConsumer<Buffer> consumer;
  /** Relays waiting for the end of the current event-loop pass, per destination node (per loop thread). */
  private final ThreadLocal<Map<String, Buffer>> batches = ThreadLocal.withInitial(HashMap::new);

  NodeBus(Vertx vertx, ClusteredPeerDirectory directory, Supplier<List<String>> nodes, Consumer<String> departed) {
    this.bus = vertx.eventBus();
    this.directory = directory;
    this.nodes = nodes;
    this.departed = departed;
  }

  static String address(String node) {
    return PREFIX + node;
  }

  /** Starts consuming at this node's address; completes once the other nodes can reach it. */
  Future<Void> start() {
    consumer = bus.consumer(address(directory.nodeId()), this::handle);
    return consumer.completion();
  }

  void attach(SignalRouter router) {
    this.router = router;
  }

  /**
   * Tells every other node that this one leaves gracefully, so it stops counting towards their quorum
   * (see {@link Quorum}); completes when all answered or {@value #COLLECT_TIMEOUT_MS} ms passed.
   */
  Future<Void> sayGoodbye() {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(COLLECT_TIMEOUT_MS);
    List<Future<?>> replies = new ArrayList<>();
    for (String node : nodes.get()) {
      if (!node.equals(directory.nodeId())) {
        replies.add(bus.request(address(node), ClusterFrame.goodbye(directory.nodeId()), options));
      }
    }
    return Future.join(replies).mapEmpty();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  @Override
  public boolean forward(String from, MessageType type, String dst, byte[] message, long order) {
    String node = directory.nodeOf(dst);
    if (node == null || node.equals(directory.nodeId())) {
      return false;
    }
    Buffer frame = ClusterFrame.relay(from, type, dst, message, order);
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      bus.send(address(node), frame);
      return true;
    }
    // Relays from one event loop to one node travel together: one event-bus message (and one write)
    // per node per pass of the loop instead of one per signal. A sender's messages all leave from its
    // own loop, so they keep their order.
    Map<String, Buffer> pending = batches.get();
    if (pending.isEmpty()) {
      context.runOnContext(v -> flushBatches());
    }
    pending.computeIfAbsent(node, n -> Buffer.buffer(frame.length() + 64).appendByte(ClusterFrame.BATCH))
        .appendInt(frame.length()).appendBuffer(frame);
    return true;
  }

  @Override
  public String nodeOf(String id) {
    return directory.nodeOf(id);
  }

  @Override
  public boolean end(String id, CloseReason reason) {
    String node = directory.nodeOf(id);
    if (node == null || node.equals(directory.nodeId())) {
      return false;
    }
    bus.send(address(node), ClusterFrame.end(id, reason));
    return true;
  }

  private void flushBatches() {
    Map<String, Buffer> pending = batches.get();
    pending.forEach((node, batch) -> bus.send(address(node), batch));
    pending.clear();
  }

  @Override
  public Future<List<OfflineMailbox.Pending>> collectQueued(String id) {
    List<Future<List<OfflineMailbox.Pending>>> replies = new ArrayList<>();
    Buffer request = ClusterFrame.collect(id, directory.nodeId());
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(COLLECT_TIMEOUT_MS);
    for (String node : nodes.get()) {
      if (node.equals(directory.nodeId())) {
        continue;
      }
      replies.add(bus.<Buffer>request(address(node), request, options)
          .map(reply -> ClusterFrame.readQueued(reply.body()))
          .otherwise(failure -> {
            LOG.log(Level.FINE, "node " + node + " did not hand over the queue of " + id, failure);
            return List.of();
          }));
    }
    if (replies.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return Future.all(replies).map(all -> {
      List<OfflineMailbox.Pending> merged = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        merged.addAll(all.<List<OfflineMailbox.Pending>>resultAt(i));
      }
      return merged;
    });
  }

  // The receiving node checks the token against the registry (the truth, not its view, which may lag a
  // peer that connected a moment ago), so a wrong token never crosses the bus; only the digest does.
  @Override
  public Future<Boolean> receivedElsewhere(String id, String token, byte[] frame) {
    String digest = PeerRecord.digest(token);
    return directory.recordOf(id).compose(record -> {
      if (record == null || record.node().equals(directory.nodeId()) || !record.tokenDigest().equals(digest)) {
        return Future.succeededFuture(false);
      }
      DeliveryOptions options = new DeliveryOptions().setSendTimeout(HANDOVER_TIMEOUT_MS);
      return bus.<Buffer>request(address(record.node()), ClusterFrame.sent(id, digest, frame), options)
          .map(reply -> reply.body().getByte(0) == ClusterFrame.TAKEN);
    });
  }

  // The holder checks again, against the link it holds now: the registry may have changed since.
  private void takeSent(Message<Buffer> message, SignalRouter target) {
    ClusterFrame.Sent sent = ClusterFrame.readSent(message.body());
    PeerLink link = directory.lookup(sent.id());
    if (target == null || link == null || link.isClosed()
        || !PeerRecord.digest(link.token()).equals(sent.tokenDigest())) {
      message.reply(Buffer.buffer(1).appendByte(ClusterFrame.NOT_HELD));
      return;
    }
    try {
      target.receive(link, sent.message());
    } catch (RuntimeException e) {
      target.failed(link, e);
      message.fail(500, "could not route the frame");
      return;
    }
    message.reply(Buffer.buffer(1).appendByte(ClusterFrame.TAKEN));
  }

  private static void relay(SignalRouter target, Buffer frame) {
    ClusterFrame.Relay relay = ClusterFrame.readRelay(frame);
    if (target != null) {
      target.deliverForwarded(relay.from(), relay.type(), relay.dst(), relay.message(), relay.order());
    }
  }

  private void handle(Message<Buffer> message) {
    SignalRouter target = router;
    Buffer body = message.body();
    try {
      switch (ClusterFrame.op(body)) {
        case ClusterFrame.RELAY:
          relay(target, body);
          break;
        case ClusterFrame.BATCH:
          for (int at = 1; at < body.length(); ) {
            int length = body.getInt(at);
            relay(target, body.slice(at + 4, at + 4 + length));
            at += 4 + length;
          }
          break;
        case ClusterFrame.COLLECT: {
          ClusterFrame.Collect collect = ClusterFrame.readCollect(body);
          // First point new messages at the peer's node, then take the queue: the router decides to
          // queue under the same lock the take holds, so nothing is queued here after this.
          directory.movedTo(collect.id(), collect.node());
          message.reply(ClusterFrame.queued(target == null ? List.of() : target.takeQueued(collect.id())));
          break;
        }
        case ClusterFrame.SENT:
          takeSent(message, target);
          break;
        case ClusterFrame.GOODBYE:
          departed.accept(ClusterFrame.readGoodbye(body));
          message.reply(Buffer.buffer());
          break;
        case ClusterFrame.END: {
          ClusterFrame.End end = ClusterFrame.readEnd(body);
          if (target != null) {
            target.endHere(end.id(), end.reason());
          }
          break;
        }
        default:
          LOG.warning(() -> "unknown cluster message " + ClusterFrame.op(body));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not handle a cluster message", e);
    }
  }
}
