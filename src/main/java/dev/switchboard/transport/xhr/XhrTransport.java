package dev.switchboard.transport.xhr;

import dev.switchboard.auth.PeerGate;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.ClientFrame;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.MalformedFrameException;
import dev.switchboard.routing.PeerLink;
import dev.switchboard.routing.SignalRouter;
import dev.switchboard.transport.ConnectionPolicy;
import dev.switchboard.transport.PeerChecks;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import static dev.switchboard.config.ServerSettings.MAX_MESSAGE_SIZE;
import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.config.ServerSettings.SEND_BUFFER;
import static dev.switchboard.transport.xhr.XhrSettings.XHR_GRACE_PERIOD;
import static dev.switchboard.transport.xhr.XhrSettings.XHR_POLL_TIMEOUT;

/**
 * PeerServer 0.x's XHR endpoints, for clients whose WebSocket is blocked: PeerJS 0.3.x as it is, and
 * PeerJS 1.x with {@code peerjs-patches/peerjs-xhr-fallback.js}. See docs/xhr.md.
 *
 * <ul>
 *   <li>{@code POST {path}{key}/{id}/{token}/id?i=N} opens a stream (or, with {@code poll=1}, a
 *       long-poll) that carries the peer's messages; {@code ack=S} selects the sequenced dialect.</li>
 *   <li>{@code POST {path}{key}/{id}/{token}/{offer|candidate|answer|leave|heartbeat|expire}} with a
 *       JSON body is routed exactly like a WebSocket frame from that peer; so is a POST to the name, in
 *       lower case, of any other type with a handler ({@link dev.switchboard.routing.MessageHandlers}).</li>
 * </ul>
 *
 * <p>Each XHR peer is one {@link XhrPeerLink} in the router; admission, relay, queueing, EXPIRE,
 * liveness and limits are the router's. The edge checks are the {@link ConnectionPolicy}'s, as for
 * WebSockets: the client's address behind trusted proxies, allowed origins, {@code ip_limit} (one slot
 * per peer, not per stream or POST, given back when the peer is gone) and no new sessions while
 * draining. One instance per event loop, like the WebSocket transport; each sweeps the links it created.
 */
public final class XhrTransport {
  /** PeerServer 0.x retried a message POST once after 25 ms: it can overtake the stream registering. */
  static final long RETRY_DELAY_MS = 25;
  private static final String UNAUTHORIZED = "Unauthorized";
  private static final Logger LOG = Logger.getLogger(XhrTransport.class.getName());

  private final Vertx vertx;
  private final SignalRouter router;
  private final PeerGate gate;
  private final ConnectionPolicy policy;
  private final String path;
  private final PeerChecks checks;
  private final int maxMessageSize;
  private final int sendBuffer;
  private final long gracePeriod;
  private final long pollTimeout;
  private final Set<XhrPeerLink> links = ConcurrentHashMap.newKeySet();

  /** Creates the transport and starts its sweeper on the calling context (a verticle's, so it stops with it). */
  public XhrTransport(Vertx vertx, SignalRouter router, PeerGate gate, SwitchboardOptions options,
                      ConnectionPolicy policy) {
    this.vertx = vertx;
    this.router = router;
    this.gate = gate;
    this.policy = policy;
    this.path = options.get(PATH);
    this.checks = new PeerChecks(router, policy, options);
    this.maxMessageSize = options.get(MAX_MESSAGE_SIZE);
    this.sendBuffer = options.get(SEND_BUFFER);
    this.gracePeriod = options.get(XHR_GRACE_PERIOD);
    this.pollTimeout = options.get(XHR_POLL_TIMEOUT);
    long period = Math.max(20, Math.min(Math.min(gracePeriod, pollTimeout) / 5, 1000));
    vertx.setPeriodic(period, t -> sweep());
  }

  /** Adds the XHR routes to {@code web}. */
  public void mount(Router web) {
    web.post(path + ":key/:id/:token/id").handler(this::stream);
    web.post(path + ":key/:id/:token/:type")
        .handler(BodyHandler.create(false).setBodyLimit(maxMessageSize))
        .handler(this::safely)
        .failureHandler(this::failed);
  }

  // Failures of reading the body: 413 from the body handler when it is over max_message_size, else the
  // client's bytes (a broken chunk), which Vert.x 5.1 reports without an error status (5.0: -1): 400.
  // An exception of this transport's own handler never gets here (it is answered 500 where it happens).
  private void failed(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 400;
    LOG.fine(() -> "refused a message posted for xhr peer " + ctx.pathParam("id") + " (" + status + "): "
        + ctx.failure());
    reply(ctx, status, status == 413 ? "Message too big" : "Request failed");
  }

  private void safely(RoutingContext ctx) {
    try {
      message(ctx);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.SEVERE, "handling a message posted for xhr peer " + ctx.pathParam("id")
          + " failed", e);
      if (!ctx.response().ended()) {
        reply(ctx, 500, "Request failed");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Streams and polls

  private void stream(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String remote = policy.client(request.remoteAddress(), request.isSSL(), request.headers()).address();
    if (!originAllowed(ctx, remote, true)) {
      return;
    }
    String id = ctx.pathParam("id");
    String token = ctx.pathParam("token");
    boolean sequenced = request.getParam("ack") != null;
    boolean poll = sequenced && "1".equals(request.getParam("poll"));
    long index = number(request.getParam("i"));
    long ack = number(request.getParam("ack"));
    long now = router.clock().millis();

    CloseReason refusal = checks.refusal("xhr", remote, ctx.pathParam("key"), id, token);
    if (refusal == null && (index < 0 || ack < 0)) {
      refusal = CloseReason.MISSING_PARAMETERS;
      router.refused("xhr", remote, refusal);
    }
    if (refusal != null) {
      endWithNotice(ctx, sequenced, poll, refusal.notice(), now);
      return;
    }

    PeerLink holder = router.directory().lookup(id);
    boolean sameClient = holder != null && !holder.isClosed() && holder.token().equals(token);
    if (sameClient && holder instanceof XhrPeerLink xhr && index > 0) {
      // A rotated stream or the next poll: same peer, nothing to admit.
      XhrStream stream = xhr.open(ctx.request(), vertx, poll, now);
      if (xhr.attach(stream, ack)) {
        router.touch(xhr);
        return;
      }
      synchronized (xhr) { // the stream's monitor: what it holds is counted under it
        stream.end();
      }
      return;
    }
    if (!policy.isAccepting()) {
      refuseWhileDraining(ctx, remote, sequenced, poll, index, now);
      return;
    }
    if (sameClient && !(holder instanceof XhrPeerLink) && !sequenced) {
      standBy(ctx, now);
      return;
    }
    if (sequenced && index > 0) {
      // The add-on's session ended here (grace period, timeout, shutdown): it reports a closed socket.
      ctx.response().setStatusCode(410).putHeader("Content-Type", "text/plain; charset=utf-8").end("Session ended");
      return;
    }
    admit(ctx, id, token, remote, !sequenced, poll, now);
  }

  private void admit(RoutingContext ctx, String id, String token, String remote, boolean legacy, boolean poll, long now) {
    byte[] ipLimit = checks.takeSlot("xhr", remote);
    if (ipLimit != null) {
      endWithNotice(ctx, !legacy, poll, ipLimit, now);
      return;
    }
    XhrPeerLink link = new XhrPeerLink(router, id, token, remote, legacy, sendBuffer, () -> checks.releaseSlot(remote));
    XhrStream stream = link.open(ctx.request(), vertx, poll, now);
    link.attach(stream, 0);
    links.add(link);
    // The same identity check as a WebSocket: bearer or cookie, else the token in the path.
    gate.connect(router, link, gate.fromXhr(ctx.request().headers(), token)).onComplete(admitted -> {
      if (admitted.failed()) {
        router.failed(link, admitted.cause());
      }
      if (admitted.failed() || !admitted.result()) {
        links.remove(link);
      }
    });
  }

  // PeerJS 0.3.x opens its stream and WebSocket together; when the WebSocket got the id first, the
  // stream is kept open but unused (PeerServer 0.2.10 preferred the socket) until the client drops it.
  private void standBy(RoutingContext ctx, long now) {
    XhrStream stream = XhrStream.notice(ctx.request(), vertx, false, now);
    long timer = vertx.setTimer(pollTimeout, t -> stream.end());
    stream.whenGone(() -> vertx.cancelTimer(timer));
  }

  /**
   * While the broker drains: a request that continues a session (a rotated stream, the next poll) whose
   * peer was just ended gets the restart notice the peer's stream carried, in case it missed it (a poll
   * answered just before); a new session is refused with 503, as a WebSocket upgrade is.
   */
  private void refuseWhileDraining(RoutingContext ctx, String remote, boolean sequenced, boolean poll, long index,
                                   long now) {
    if (index > 0) {
      byte[] restart = CloseReason.RESTART.notice();
      endWith(ctx, poll, sequenced ? XhrPeerLink.sequencedLine(0, restart) : restart, now);
      return;
    }
    router.refused("xhr", remote, CloseReason.NOT_ACCEPTING);
    reply(ctx, 503, CloseReason.NOT_ACCEPTING.text());
  }

  // A refused stream or poll: [0,notice] for the add-on; for PeerJS 0.3.x, PeerServer 0.2.10's
  // HTTP-ERROR line, as 0.2.10 answered every refusal (bad key, ip_limit).
  private void endWithNotice(RoutingContext ctx, boolean sequenced, boolean poll, byte[] notice, long now) {
    endWith(ctx, poll, sequenced ? XhrPeerLink.sequencedLine(0, notice) : XhrPeerLink.HTTP_ERROR, now);
  }

  // A stream or poll that carries one line and ends.
  private void endWith(RoutingContext ctx, boolean poll, byte[] line, long now) {
    XhrStream.notice(ctx.request(), vertx, poll, now).end(List.of(line));
  }

  /**
   * XHR requests carry a peer's session, so they are held to the same origins as WebSocket upgrades
   * ({@code --ws_origins}, else {@code --cors}): otherwise a page refused a WebSocket could open the same
   * session over XHR. (They are also HTTP requests, so the CORS handler's {@code --cors} list applies
   * first.) A browser's CORS check only hides the answer; the request would still act, so it is refused.
   */
  private boolean originAllowed(RoutingContext ctx, String remote, boolean session) {
    String origin = ctx.request().getHeader("Origin");
    if (policy.originAllowed(origin)) {
      return true;
    }
    if (session) {
      policy.logRefusedOrigin("xhr", origin, remote);
      router.refused("xhr", remote, CloseReason.ORIGIN_NOT_ALLOWED);
    }
    reply(ctx, 403, ErrorText.ORIGIN_NOT_ALLOWED);
    return false;
  }

  private void sweep() {
    long now = router.clock().millis();
    for (XhrPeerLink link : links) {
      if (link.isClosed()) {
        links.remove(link);
      } else if (link.sweep(now, gracePeriod, pollTimeout)) {
        links.remove(link);
        link.expire();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  private void message(RoutingContext ctx) {
    // PeerServer 0.x's paths (offer, candidate, answer, leave) and any other type with a handler.
    if (!router.handlers().handlesIgnoringCase(ctx.pathParam("type"))) {
      ctx.next();
      return;
    }
    if (!originAllowed(ctx, null, false)) {
      return;
    }
    if (!checks.keyMatches(ctx.pathParam("key"))) {
      reply(ctx, 401, CloseReason.INVALID_KEY.text());
      return;
    }
    Buffer body = ctx.body().buffer();
    ClientFrame frame;
    try {
      // The XHR transport's one check of a message (strict UTF-8, JSON, limits), before it is routed.
      frame = FrameCodec.decode(body == null ? new byte[0] : body.getBytes());
    } catch (MalformedFrameException e) {
      // Also for a body that is not UTF-8: an HTTP answer ends nothing, unlike a WebSocket's 1007.
      LOG.fine(() -> "refused a message posted for xhr peer " + ctx.pathParam("id") + ": " + e.getMessage());
      reply(ctx, 400, ErrorText.INVALID_MESSAGE + ": " + e.getMessage());
      return;
    }
    deliver(ctx, frame, false);
  }

  private void deliver(RoutingContext ctx, ClientFrame frame, boolean retried) {
    PeerLink link = router.directory().lookup(ctx.pathParam("id"));
    if (link == null || link.isClosed()) {
      deliverElsewhere(ctx, frame, retried);
      return;
    }
    if (!link.token().equals(ctx.pathParam("token"))) {
      reply(ctx, 401, UNAUTHORIZED);
      return;
    }
    String ack = ctx.request().getParam("ack");
    if (ack != null && link instanceof XhrPeerLink xhr) {
      xhr.acknowledge(number(ack));
    }
    try {
      router.receive(link, frame);
    } catch (RuntimeException e) {
      router.failed(link, e);
      reply(ctx, 500, "Internal server error");
      return;
    }
    reply(ctx, 200, "OK");
  }

  // Not held here: in a cluster behind a load balancer without sticky sessions the peer's stream may be
  // on another node, which checks the token again and routes the frame; the POST is answered once it
  // has (503 if it does not answer in time). On a single node no other node holds it: retry, then 401.
  private void deliverElsewhere(RoutingContext ctx, ClientFrame frame, boolean retried) {
    router.receiveElsewhere(ctx.pathParam("id"), ctx.pathParam("token"), frame.json()).onComplete(handed -> {
      if (handed.failed()) {
        LOG.fine(() -> "the node holding peer " + ctx.pathParam("id") + " did not take its message: " + handed.cause());
        reply(ctx, 503, "Peer's node did not answer");
      } else if (handed.result()) {
        reply(ctx, 200, "OK");
      } else if (retried) {
        reply(ctx, 401, UNAUTHORIZED);
      } else {
        vertx.setTimer(RETRY_DELAY_MS, t -> deliver(ctx, frame, true));
      }
    });
  }

  private static void reply(RoutingContext ctx, int status, String text) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(text);
  }

  private static long number(String value) {
    if (value == null || value.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
