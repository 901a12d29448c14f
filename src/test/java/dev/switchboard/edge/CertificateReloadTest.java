package dev.switchboard.edge;

import dev.switchboard.Switchboard;
import dev.switchboard.config.InvalidSetting;
import dev.switchboard.metrics.SwitchboardMetrics;
import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import dev.switchboard.support.TestPeer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TLS: modern protocols only, and renewed certificates taken into use without dropping connected peers. */
@ExtendWith(VertxExtension.class)
class CertificateReloadTest {
  @TempDir
  Path dir;

  private Path key;
  private Path cert;

  private void install(SelfSignedCertificate certificate) throws Exception {
    // Write aside and move into place, as renewal tools do.
    Path newKey = Files.copy(Path.of(certificate.privateKeyPath()), dir.resolve("key.new"), StandardCopyOption.REPLACE_EXISTING);
    Path newCert = Files.copy(Path.of(certificate.certificatePath()), dir.resolve("cert.new"), StandardCopyOption.REPLACE_EXISTING);
    Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The subject of the certificate a new TLS connection is shown. */
  private static String servedCertificate(int port, String... protocols) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] chain, String authType) { }
      public void checkServerTrusted(X509Certificate[] chain, String authType) { }
      public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }}, null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      if (protocols.length > 0) {
        socket.setEnabledProtocols(protocols);
      }
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
  }

  private static TestPeer connectTls(Vertx vertx, int port, String id) {
    return TestPeer.connect(vertx, new WebSocketClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false),
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
            .setURI("/peerjs?key=peerjs&id=" + id + "&token=t-" + id));
  }

  @Test
  void renewedCertificateIsServedWhileConnectedPeersStay(Vertx vertx) throws Exception {
    key = dir.resolve("key.pem");
    cert = dir.resolve("cert.pem");
    install(SelfSignedCertificate.create("first.example"));
    Switchboard broker = Brokers.start(vertx, Brokers.options().setSslKey(key.toString()).setSslCert(cert.toString())
        .setCertReloadInterval(100));
    int port = broker.actualPort();
    assertEquals("CN=first.example", servedCertificate(port));

    try (TestPeer alice = connectTls(vertx, port, "alice")) {
      alice.expectType("OPEN");

      // On request (SIGHUP)
      install(SelfSignedCertificate.create("second.example"));
      assertTrue(Await.result(broker.reloadCertificates()));
      assertEquals("CN=second.example", servedCertificate(port));

      // When the files change
      install(SelfSignedCertificate.create("third.example"));
      Await.until("the changed files are served", () -> {
        try {
          return "CN=third.example".equals(servedCertificate(port));
        } catch (Exception e) {
          return false;
        }
      }, 10);

      // A broken renewal keeps the current certificate.
      Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
      assertFalse(Await.result(broker.reloadCertificates()));
      assertEquals("CN=third.example", servedCertificate(port));

      // Alice's session from before every reload still carries signalling.
      try (TestPeer bob = connectTls(vertx, port, "bob")) {
        bob.expectType("OPEN");
        bob.send(new JsonObject().put("type", "OFFER").put("dst", "alice").put("payload", new JsonObject().put("sdp", "x")));
        assertEquals("bob", alice.expectType("OFFER").getString("src"));
      }
      assertFalse(alice.isClosed());
    }
  }

  @Test
  void oldProtocolsAreRefused(Vertx vertx) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    int port = Brokers.start(vertx, Brokers.options().setSslKey(certificate.privateKeyPath())
        .setSslCert(certificate.certificatePath())).actualPort();
    assertEquals("CN=localhost", servedCertificate(port, "TLSv1.3"));
    assertEquals("CN=localhost", servedCertificate(port, "TLSv1.2"));
    // The JDK may not even offer TLS 1.1; either way no session comes up.
    assertThrows(Exception.class, () -> servedCertificate(port, "TLSv1.1"));
  }

  @Test
  void unreadableKeyFailsAtStartNamingTheOption(Vertx vertx) {
    Throwable failure = assertThrows(Throwable.class, () -> Brokers.start(vertx, Brokers.options()
        .setSslKey(dir.resolve("missing.pem").toString()).setSslCert(dir.resolve("missing.pem").toString())));
    assertTrue(failure.getMessage().contains("Invalid sslkey: cannot read"), failure.getMessage());
  }

  /** A key from one certificate moved into place beside another certificate: a renewal gone wrong. */
  private void installMismatched(SelfSignedCertificate keyOf, SelfSignedCertificate certOf) throws Exception {
    Files.copy(Path.of(keyOf.privateKeyPath()), key, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(Path.of(certOf.certificatePath()), cert, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aKeyThatIsNotTheCertificatesFailsAtStartNamingBothFiles(Vertx vertx) throws Exception {
    key = dir.resolve("key.pem");
    cert = dir.resolve("cert.pem");
    installMismatched(SelfSignedCertificate.create("one.example"), SelfSignedCertificate.create("two.example"));
    Throwable failure = assertThrows(Throwable.class, () -> Brokers.start(vertx, Brokers.options()
        .setSslKey(key.toString()).setSslCert(cert.toString())));
    while (failure.getCause() != null && !(failure instanceof InvalidSetting)) {
      failure = failure.getCause();
    }
    assertInstanceOf(InvalidSetting.class, failure);
    assertTrue(failure.getMessage().contains(key.toString()) && failure.getMessage().contains(cert.toString())
        && failure.getMessage().contains("does not match"), failure.getMessage());
  }

  @Test
  void aRenewalWithAMismatchedKeyKeepsTheCurrentPairAndCountsAFailure(Vertx vertx) throws Exception {
    key = dir.resolve("key.pem");
    cert = dir.resolve("cert.pem");
    install(SelfSignedCertificate.create("first.example"));
    SwitchboardMetrics metrics = SwitchboardMetrics.prometheus();
    Switchboard broker = Await.result(Switchboard.start(vertx, Brokers.options().setSslKey(key.toString())
        .setSslCert(cert.toString()).setCertReloadInterval(0), metrics));
    int port = broker.actualPort();

    installMismatched(SelfSignedCertificate.create("other.example"), SelfSignedCertificate.create("second.example"));
    assertFalse(Await.result(broker.reloadCertificates()));
    assertEquals("CN=first.example", servedCertificate(port));
    String scrape = metrics.registry().scrape();
    assertTrue(scrape.lines().anyMatch(line -> line.startsWith("switchboard_tls_reloads_total")
        && line.contains("result=\"failure\"") && line.endsWith(" 1.0")), scrape);
  }
}
