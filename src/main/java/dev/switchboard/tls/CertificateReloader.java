package dev.switchboard.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Takes renewed TLS key and certificate files into use without a restart: on {@link #reload()} (SIGHUP)
 * and when a periodic check sees either file change. New connections get the new certificate;
 * connected peers keep their sessions. Files that do not load (a renewal half written) leave the
 * current certificate in place, and the next change is tried again.
 */
public final class CertificateReloader {
  /** TLS 1.2 and 1.3 only: older versions are deprecated (RFC 8996). */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final Logger LOG = Logger.getLogger(CertificateReloader.class.getName());

  private final Vertx vertx;
  private final Path key;
  private final Path cert;
  private final Supplier<List<HttpServer>> servers;
  private final Consumer<Boolean> outcome;
  private Object lastSeen;
  private long timer = -1;

  /**
   * @param servers the servers whose certificate to replace
   * @param outcome told whether each reload succeeded (for metrics)
   */
  public CertificateReloader(Vertx vertx, String keyPath, String certPath, Supplier<List<HttpServer>> servers,
                             Consumer<Boolean> outcome) {
    this.vertx = vertx;
    this.key = Path.of(keyPath);
    this.cert = Path.of(certPath);
    this.servers = servers;
    this.outcome = outcome;
    this.lastSeen = fingerprint();
  }

  /** The server-side TLS options for a key and certificate chain in PEM. */
  public static ServerSSLOptions sslOptions(String keyPath, String certPath) {
    ServerSSLOptions ssl = new ServerSSLOptions()
        .setKeyCertOptions(new PemKeyCertOptions().setKeyPath(keyPath).setCertPath(certPath));
    ssl.setEnabledSecureTransportProtocols(PROTOCOLS);
    return ssl;
  }

  /** Checks the files every {@code intervalMs} (0: never; only {@link #reload()}). */
  public void watch(long intervalMs) {
    if (intervalMs > 0) {
      timer = vertx.setPeriodic(intervalMs, t -> {
        Object now = fingerprint();
        if (!Objects.equals(now, lastSeen)) {
          lastSeen = now;
          LOG.info(() -> "TLS key or certificate file changed; reloading " + cert);
          reload();
        }
      });
    }
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** Reads the files again and gives every server the new certificate; true if it was taken. */
  public Future<Boolean> reload() {
    lastSeen = fingerprint();
    // A key that is not the certificate's would be taken and fail every new handshake: check first.
    Future<Void> checked = vertx.executeBlocking(() -> {
      KeyCertificateMatch.check(vertx, key.toString(), cert.toString());
      return null;
    }, false);
    return checked.compose(ok -> {
      List<Future<Boolean>> updates = new ArrayList<>();
      for (HttpServer server : servers.get()) {
        // force: the paths are the same as before, only the files' contents changed
        updates.add(server.updateSSLOptions(sslOptions(key.toString(), cert.toString()), true));
      }
      return Future.all(updates);
    }).map(all -> {
      LOG.info(() -> "TLS certificate reloaded from " + cert);
      outcome.accept(true);
      return true;
    }).recover(failure -> {
      LOG.log(Level.WARNING, "TLS certificate reload from " + cert + " failed; keeping the current one: "
          + failure.getMessage());
      outcome.accept(false);
      return Future.succeededFuture(false);
    });
  }

  // Modification time and size of both files: renewals (certbot, cert-manager) rewrite or replace them.
  private Object fingerprint() {
    try {
      BasicFileAttributes k = Files.readAttributes(key, BasicFileAttributes.class);
      BasicFileAttributes c = Files.readAttributes(cert, BasicFileAttributes.class);
      return List.of(k.lastModifiedTime(), k.size(), c.lastModifiedTime(), c.size(),
          String.valueOf(k.fileKey()), String.valueOf(c.fileKey()));
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }
}
