package dev.switchboard.transport;

import dev.switchboard.support.Await;
import dev.switchboard.support.Brokers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** --sslkey/--sslcert: the API and the WebSocket over TLS with a certificate made for the test. */
@ExtendWith(VertxExtension.class)
class TlsTest {

  @Test
  void apiAndWebSocketOverTls(Vertx vertx) throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    int port = Brokers.start(vertx, Brokers.options()
        .setSslKey(certificate.privateKeyPath()).setSslCert(certificate.certificatePath())).actualPort();
    PemTrustOptions trust = new PemTrustOptions().addCertPath(certificate.certificatePath());

    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustOptions(trust));
    String id = Await.result(http.request(io.vertx.core.http.HttpMethod.GET, port, "localhost", "/peerjs/id")
        .compose(r -> r.send()).compose(r -> r.body())).toString();
    assertEquals(36, id.length());

    CompletableFuture<String> first = new CompletableFuture<>();
    WebSocketClient webSockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true).setTrustOptions(trust));
    WebSocket socket = Await.result(webSockets.connect(new WebSocketConnectOptions().setHost("localhost").setPort(port).setSsl(true)
            .setURI("/peerjs?key=peerjs&id=alice&token=t"))
        .map(ws -> ws.textMessageHandler(first::complete)));
    assertEquals("{\"type\":\"OPEN\"}", first.get(5, TimeUnit.SECONDS));
    socket.close();
    webSockets.close();
    http.close();
  }
}
