package dev.switchboard;

import dev.switchboard.config.CommandLineParser;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar switchboard.jar [flags]}: parses the flags and runs the broker until stopped. */
public final class Main {
  private Main() {
  }

  public static void main(String[] args) {
    Logging.configure();
    SwitchboardOptions options;
    try {
      options = CommandLineParser.parse(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    } catch (CommandLineParser.Exit exit) {
      System.exit(exit.status());
      return;
    }
    int loops = options.getEventLoops() > 0 ? options.getEventLoops() : Runtime.getRuntime().availableProcessors();
    // Native epoll where available: edge-triggered, fewer system calls and less garbage than NIO's
    // selector per event-loop pass; Vert.x falls back to NIO on its own elsewhere.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true))
        .build();
    Switchboard.start(vertx, options)
        .onSuccess(switchboard -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          switchboard.close().toCompletionStage().toCompletableFuture().join();
          vertx.close().toCompletionStage().toCompletableFuture().join();
        }, "switchboard-shutdown")))
        .onFailure(failure -> {
          Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "Could not start: " + failure.getMessage());
          vertx.close();
          System.exit(1);
        });
  }
}
