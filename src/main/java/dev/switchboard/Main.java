package dev.switchboard;

import dev.switchboard.cluster.ClusteredVertx;
import dev.switchboard.config.CommandLineParser;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Future;
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
    VertxOptions vertxOptions = new VertxOptions().setEventLoopPoolSize(loops);
    Future<Vertx> created = options.isCluster()
        ? ClusteredVertx.start(options, vertxOptions)
        : Future.succeededFuture(Vertx.builder().with(vertxOptions).build());
    created.onSuccess(vertx -> run(vertx, options)).onFailure(failure -> {
      Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "Could not join the cluster: " + failure.getMessage());
      System.exit(1);
    });
  }

  private static void run(Vertx vertx, SwitchboardOptions options) {
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
