package dev.switchboard.turn;

import dev.switchboard.auth.AuthFailure;
import dev.switchboard.auth.Credentials;
import dev.switchboard.auth.Identity;
import dev.switchboard.auth.PeerGate;
import dev.switchboard.protocol.IdRule;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * {@code GET {path}{key}/ice}: the caller's ICE servers with fresh TURN credentials, to hand to
 * {@code new Peer(id, {config: answer})} before connecting. The token comes from where the WebSocket
 * takes it: {@code Authorization: Bearer}, the {@code --auth_cookie} cookie, then PeerJS's
 * {@code ?token=}. Errors are JSON {@code {"error": code, "message": text}}: 401 {@code invalid_key},
 * 401 {@code invalid_token}, 403 {@code anonymous_not_allowed}, 503 {@code auth_unavailable}. Never
 * cached ({@code Cache-Control: no-store}): the answer holds a password.
 */
final class IceRoute {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String key;
  private final PeerGate gate;
  private final IdRule idRule;
  private final Function<String, JsonObject> answers;
  private final boolean anonymousAllowed;
  private final Runnable issued;

  /**
   * @param answers the answer for a user (verified user id, or the anonymous caller's peer id)
   * @param anonymousAllowed whether an unverified caller (auth none) gets credentials
   * @param issued told of each answer with credentials (metrics)
   */
  IceRoute(String key, PeerGate gate, IdRule idRule, Function<String, JsonObject> answers, boolean anonymousAllowed,
           Runnable issued) {
    this.key = key;
    this.gate = gate;
    this.idRule = idRule;
    this.answers = answers;
    this.anonymousAllowed = anonymousAllowed;
    this.issued = issued;
  }

  void handle(RoutingContext ctx) {
    if (!key.equals(ctx.pathParam("key"))) {
      error(ctx, 401, "invalid_key", "Invalid key provided");
      return;
    }
    String queryToken = ctx.request().getParam("token");
    Credentials credentials = gate.fromHttp(ctx.request().headers());
    if (credentials == null && gate.enabled() && queryToken != null && !queryToken.isEmpty()) {
      credentials = new Credentials(queryToken, Credentials.Source.QUERY);
    }
    gate.identify(credentials).onComplete(checked -> {
      if (checked.failed()) {
        refuse(ctx, checked.cause());
      } else if (checked.result().isAnonymous()) {
        anonymous(ctx);
      } else {
        answer(ctx, checked.result());
      }
    });
  }

  private void answer(RoutingContext ctx, Identity identity) {
    send(ctx, answers.apply(identity.userId()));
  }

  // auth none: PeerServer's rules, nobody is verified; the user part is the caller's peer id (?id=), else random.
  private void anonymous(RoutingContext ctx) {
    if (!anonymousAllowed) {
      error(ctx, 403, "anonymous_not_allowed",
          "TURN credentials need auth jwt or session, or --turn_allow_anonymous on this broker");
      return;
    }
    String id = ctx.request().getParam("id");
    if (id != null && !idRule.isValid(id)) {
      error(ctx, 400, "invalid_id", "Invalid id");
      return;
    }
    send(ctx, answers.apply(id != null ? id : randomUser()));
  }

  private void send(RoutingContext ctx, JsonObject answer) {
    issued.run();
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store").end(answer.encode());
  }

  private void refuse(RoutingContext ctx, Throwable cause) {
    AuthFailure failure = cause instanceof AuthFailure known ? known : AuthFailure.unavailable("verification failed");
    if (failure.isUnavailable()) {
      ctx.response().putHeader("Retry-After", "5");
      error(ctx, 503, "auth_unavailable", failure.closeReason().text());
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      error(ctx, 401, "invalid_token", failure.closeReason().text());
    }
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(new JsonObject().put("error", code).put("message", message).encode());
  }

  private static String randomUser() {
    byte[] bits = new byte[8];
    RANDOM.nextBytes(bits);
    return "anonymous-" + HexFormat.of().formatHex(bits);
  }
}
