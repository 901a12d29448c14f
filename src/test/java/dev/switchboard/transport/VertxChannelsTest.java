package dev.switchboard.transport;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fails loudly when a Vert.x upgrade moves what {@link VertxChannels} reaches into: a plain Vert.x HTTP
 * server's connection handler must see an HTTP/1.x connection whose pipeline has Vert.x's decoder,
 * encoder and handler under the names the broker adds its handlers next to, in that order, before any
 * byte was decoded.
 */
@ExtendWith(VertxExtension.class)
class VertxChannelsTest {

  @Test
  void anHttp1ConnectionsPipelineIsReachableWithTheNamesTheGuardUses(Vertx vertx) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> {
          ChannelPipeline pipeline = VertxChannels.http1Pipeline(connection);
          names.complete(pipeline == null ? null : new ArrayList<>(pipeline.names()));
        })
        .requestHandler(request -> request.response().end("ok"));
    int port = server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    String body = vertx.createHttpClient(new HttpClientOptions())
        .request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(response -> response.body()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).toString();
    assertEquals("ok", body);
    List<String> pipeline = names.get(10, TimeUnit.SECONDS);
    assertNotNull(pipeline, "Vert.x's HTTP/1.x connection class or its codec names changed");
    int decoder = pipeline.indexOf(VertxChannels.HTTP_DECODER);
    int encoder = pipeline.indexOf(VertxChannels.HTTP_ENCODER);
    int handler = pipeline.indexOf(VertxChannels.VERTX_HANDLER);
    assertTrue(decoder >= 0 && decoder < encoder && encoder < handler, pipeline.toString());
  }
}
