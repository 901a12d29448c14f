package dev.switchboard.routing;

import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.InvalidUtf8Exception;
import dev.switchboard.protocol.MalformedFrameException;
import dev.switchboard.protocol.MessageType;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Future;

/**
 * The switch: admits peers, hands each frame to the {@link MessageHandler} registered for its type
 * ({@link MessageHandlers}; PeerServer's relay by default), keeps messages for absent peers, and ends
 * silent peers. It knows nothing of the transport that carries a peer; transports call {@link #connect},
 * {@link #receive} and {@link #disconnected}. Handlers and listeners act through its {@link #broker()}.
 */
public final class SignalRouter {
  private static final Logger LOG = Logger.getLogger(SignalRouter.class.getName());

  private final PeerDirectory directory;
  private final Clock clock;
  private final long expireTimeout;
  private final long aliveTimeout;
  private final BrokerListener listener;
  private final RemotePeers remote;
  private final MessageHandlers handlers;
  private final Delivery delivery;
  private final Broker broker;

  public SignalRouter(PeerDirectory directory, OfflineMailbox mailbox, Clock clock, long expireTimeout,
                      long aliveTimeout, BrokerListener listener) {
    this(directory, mailbox, clock, expireTimeout, aliveTimeout, listener, RemotePeers.NONE);
  }

  /** A router that is one node of a cluster: peers it does not hold may be held by {@code remote}. */
  public SignalRouter(PeerDirectory directory, OfflineMailbox mailbox, Clock clock, long expireTimeout,
                      long aliveTimeout, BrokerListener listener, RemotePeers remote) {
    this(directory, mailbox, clock, expireTimeout, aliveTimeout, listener, remote, new MessageHandlers());
  }

  /** A router whose frames are handled by {@code handlers}. */
  public SignalRouter(PeerDirectory directory, OfflineMailbox mailbox, Clock clock, long expireTimeout,
                      long aliveTimeout, BrokerListener listener, RemotePeers remote, MessageHandlers handlers) {
    this.remote = remote;
    this.directory = directory;
    this.clock = clock;
    this.expireTimeout = expireTimeout;
    this.aliveTimeout = aliveTimeout;
    this.listener = listener;
    this.handlers = handlers;
    this.delivery = new Delivery(directory, mailbox, clock, listener, remote);
    this.broker = new RouterBroker(this, delivery, remote);
  }

  public PeerDirectory directory() {
    return directory;
  }

  public Clock clock() {
    return clock;
  }

  /** What handlers, listeners and the embedding application act through. */
  public Broker broker() {
    return broker;
  }

  /** The handler of each message type. */
  public MessageHandlers handlers() {
    return handlers;
  }

  /**
   * Admits a peer whose transport has checked its parameters: claims the id, sends OPEN and whatever
   * was queued for it, closes the connection it replaces. A refused link is closed with the reason.
   *
   * @return whether the peer was admitted
   */
  public Future<Boolean> connect(PeerLink link) {
    return directory.claim(link).compose(admission -> {
      switch (admission.outcome()) {
        case TAKEN:
          refuse(link, CloseReason.ID_TAKEN);
          return Future.succeededFuture(false);
        case LIMIT:
          refuse(link, CloseReason.CONCURRENT_LIMIT);
          return Future.succeededFuture(false);
        case NO_QUORUM:
          refuse(link, CloseReason.CLUSTER_SPLIT);
          return Future.succeededFuture(false);
        default:
          break;
      }
      // PeerServer 1.0 sends no OPEN to a reattaching socket, so PeerJS never fires open (PeerJS
      // #1289); every admitted connection gets OPEN here, before anything queued — unless it carries
      // on the session of the link it replaces (see PeerLink#sessionContinuesIn).
      PeerLink superseded = admission.superseded();
      if (superseded == null || !superseded.sessionContinuesIn(link)) {
        link.send(FrameCodec.open());
      }
      return remote.collectQueued(link.id()).map(elsewhere -> admitted(link, admission, elsewhere));
    });
  }

  private boolean admitted(PeerLink link, Admission admission, List<OfflineMailbox.Pending> elsewhere) {
    int delivered = delivery.handOver(link, elsewhere);
    PeerLink superseded = admission.superseded();
    if (superseded != null) {
      // A verified user is told in the user's terms (signed in elsewhere), not the connection's.
      CloseReason why = link.userId() != null ? CloseReason.TAKEN_OVER : CloseReason.SUPERSEDED;
      superseded.close(why);
      listener.peerDisconnected(superseded, why);
    }
    LOG.fine(() -> "connected " + link + (superseded != null ? " (replacing " + superseded.remoteAddress() + ")" : ""));
    listener.peerConnected(link);
    if (delivered > 0) {
      listener.queuedDelivered(link, delivered);
    }
    if (link.isClosed()) {
      // The transport went away while we were admitting it.
      disconnected(link, CloseReason.CLIENT_CLOSED);
    }
    return true;
  }

  private void refuse(PeerLink link, CloseReason reason) {
    LOG.fine(() -> "refused " + link + ": " + reason);
    listener.connectionRefused(link.transport(), link.remoteAddress(), reason);
    link.close(reason);
  }

  /** Refuses a connection before it has a link (bad parameters): for the listener and the log. */
  public void refused(String transport, String remoteAddress, CloseReason reason) {
    LOG.fine(() -> "refused " + transport + " connection from " + remoteAddress + ": " + reason);
    listener.connectionRefused(transport, remoteAddress, reason);
  }

  /** A transport's connection for {@code link} ended. */
  public void disconnected(PeerLink link, CloseReason reason) {
    if (directory.remove(link)) {
      LOG.fine(() -> "disconnected " + link + ": " + reason);
      // A write under a mailbox lock may find its client too slow and end it here: listeners hear of it
      // once the lock is let go.
      delivery.afterLocks(() -> listener.peerDisconnected(link, reason));
    }
  }

  /** Ends a peer from the server side: closes its transport and frees its id at once. */
  public void end(PeerLink link, CloseReason reason) {
    // Freed first, with the server's reason: closing first let the transport's close handler, on
    // another thread, report the same peer as closed by the client.
    disconnected(link, reason);
    link.close(reason);
  }

  /**
   * Handles one complete frame from a peer, as its bytes arrived: the frame is checked here (see
   * {@link FrameCodec#decode}) before anything of it is relayed or queued. Any frame counts as a sign of
   * life, not only HEARTBEAT: browsers throttle timers in background tabs, and PeerServer drops such peers.
   */
  public void receive(PeerLink from, byte[] json) {
    from.touch(clock.millis());
    listener.frameReceived(from, json.length);
    ClientFrame frame;
    try {
      frame = FrameCodec.decode(json);
    } catch (InvalidUtf8Exception e) {
      invalidText(from);
      return;
    } catch (MalformedFrameException e) {
      reject(from, e.getMessage());
      return;
    }
    route(from, frame);
  }

  /** Handles one complete frame its transport has already decoded (and so checked) with {@link FrameCodec#decode}. */
  public void receive(PeerLink from, ClientFrame frame) {
    from.touch(clock.millis());
    listener.frameReceived(from, frame.json().length);
    route(from, frame);
  }

  // Types without an entry are dropped, as PeerServer drops types it does not know (clients newer than
  // us); OPEN, ERROR and ID-TAKEN from a client can have none (MessageHandlers.SERVER_ONLY).
  private void route(PeerLink from, ClientFrame frame) {
    MessageHandler handler = handlers.handler(frame.typeName());
    if (handler != null) {
      handler.handle(from, frame, broker);
    }
  }

  /**
   * Handles one complete frame from {@code id} that reached this node although the peer is connected to
   * another node of the cluster (an XHR POST behind a load balancer without sticky sessions): see
   * {@link RemotePeers#receivedElsewhere}. On a single node, or when no node holds {@code id} under
   * {@code token}, the answer is {@code false}.
   */
  public Future<Boolean> receiveElsewhere(String id, String token, byte[] json) {
    return remote.receivedElsewhere(id, token, json);
  }

  /** Records a sign of life that is not a message (a binary frame, an XHR heartbeat). */
  public void touch(PeerLink from) {
    from.touch(clock.millis());
  }

  /** A frame over the size limit: nothing of it is relayed, the sender is told and ended. */
  public void frameTooBig(PeerLink from) {
    listener.frameRejected(from, "too big");
    end(from, CloseReason.MESSAGE_TOO_BIG);
  }

  /**
   * A text message that is not UTF-8: nothing of it is relayed, the sender is told and ended (1007, RFC
   * 6455 8.1, as PeerServer's ws does), since every browser that received it would have to fail its own
   * connection.
   */
  public void invalidText(PeerLink from) {
    listener.frameRejected(from, InvalidUtf8Exception.REASON);
    end(from, CloseReason.INVALID_UTF8);
  }

  /** Tells a peer that its frame was not taken, without ending it. */
  public void reject(PeerLink from, String reason) {
    LOG.fine(() -> "rejected a frame from " + from + ": " + reason);
    listener.frameRejected(from, reason);
    from.send(FrameCodec.error(ErrorText.INVALID_MESSAGE + ": " + reason));
  }

  /**
   * Delivers a message another node of the cluster forwarded here for {@code dst}: to the peer if it is
   * here and ready, else into this node's queue if its type is queued (never onwards, so a message cannot
   * circle); a type this node does not know (an application's, a newer node's) is delivered or dropped,
   * never queued. The sending node reported the relay to its listeners. A message sent more than
   * {@code expire_timeout} ago by its {@code order} stamp is never delivered late: its sender gets EXPIRE
   * instead.
   */
  public void deliverForwarded(String from, MessageType type, String dst, byte[] message, long order) {
    // The order stamp is the sending node's wall clock (OrderClock): a message that spent longer than
    // expire_timeout between the nodes (held up by a network cut) is stale, as if it had expired queued.
    if (clock.millis() - order / 1000 > expireTimeout) {
      if (type.queuedWhenAbsent()) {
        delivery.tellExpired(dst, from);
      }
      return;
    }
    delivery.deliver(from, type, dst, message, order, false);
  }

  /** Ends this node's peer {@code id}, if it has one, at another node's request ({@link Broker#end(String, CloseReason)}). */
  public void endHere(String id, CloseReason reason) {
    PeerLink link = directory.lookup(id);
    if (link != null) {
      end(link, reason);
    }
  }

  /**
   * Takes what waits here for {@code id}, which connected on another node of the cluster. The caller
   * first makes sure new messages for {@code id} are forwarded there, so none is queued here after.
   */
  public List<OfflineMailbox.Pending> takeQueued(String id) {
    return delivery.takeQueued(id);
  }

  /** Drops queues older than {@code expire_timeout} and tells their senders. */
  public void sweepMailbox() {
    delivery.sweep(expireTimeout);
  }

  /** Ends peers from which nothing was received for {@code alive_timeout}. */
  public void sweepSilentPeers() {
    long now = clock.millis();
    for (PeerLink link : directory.links()) {
      if (now - link.lastSeen() > aliveTimeout) {
        LOG.fine(() -> "timed out " + link);
        end(link, CloseReason.TIMED_OUT);
      }
    }
  }

  /** A random id nobody holds, for {@code GET /{key}/id}. */
  public String newId() {
    String id;
    do {
      id = UUID.randomUUID().toString();
    } while (directory.contains(id));
    return id;
  }

  /** Logs an unexpected failure while handling {@code link} and ends that peer; the server goes on. */
  public void failed(PeerLink link, Throwable failure) {
    LOG.log(Level.WARNING, "unexpected failure for peer " + link.id() + " (" + link.transport() + "); closing it", failure);
    end(link, CloseReason.INTERNAL_ERROR);
  }
}
