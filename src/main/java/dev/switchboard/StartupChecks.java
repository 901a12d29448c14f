package dev.switchboard;

import dev.switchboard.config.InvalidSetting;
import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.tls.KeyCertificateMatch;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.switchboard.tls.TlsSettings.SSLCERT;
import static dev.switchboard.tls.TlsSettings.SSLKEY;

/**
 * What a broker checks before and while it starts, so that a bad setting fails the start with the
 * setting named ({@link InvalidSetting}, exit 2 from the command line) instead of a broker that listens
 * but cannot serve: TLS files readable, the key matching its certificate, ports free.
 */
final class StartupChecks {
  private StartupChecks() {
  }

  static void readable(String file, String option) {
    if (file != null && !Files.isReadable(Path.of(file))) {
      throw new InvalidSetting(option, "cannot read " + file);
    }
  }

  static Future<Void> keyPair(Vertx vertx, SwitchboardOptions options) {
    if (options.get(SSLKEY) == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      KeyCertificateMatch.check(vertx, options.get(SSLKEY), options.get(SSLCERT));
      return null;
    }, false);
  }

  // Netty reports a port in use as BindException (NIO) or a native "Address already in use" (epoll).
  static Throwable explainBindFailure(Throwable failure, String option, String host, int port) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("already in use")) {
        return new InvalidSetting(option, host + ":" + port + " is already in use (" + cause.getMessage() + ")");
      }
    }
    return failure;
  }
}
