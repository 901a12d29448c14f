package dev.switchboard;

import dev.switchboard.config.CommandLine;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar switchboard.jar [flags]}: parses the flags and runs the broker until stopped. */
public final class Main {
  /** Exit status for bad flags, as picocli and most CLIs use. */
  static final int USAGE = 2;

  private Main() {
  }

  public static void main(String[] args) {
    Logging.configure();
    SwitchboardOptions options;
    try {
      options = parse(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    } catch (ExitRequest exit) {
      System.exit(exit.status);
      return;
    }
    int loops = options.getEventLoops() > 0 ? options.getEventLoops() : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(loops)).build();
    Switchboard.start(vertx, options)
        .onSuccess(switchboard -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          switchboard.close().await();
          vertx.close().await();
        }, "switchboard-shutdown")))
        .onFailure(failure -> {
          Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "Could not start: " + failure.getMessage());
          vertx.close();
          System.exit(1);
        });
  }

  /** Thrown by {@link #parse} when the process should end (help, version or a usage error). */
  static final class ExitRequest extends RuntimeException {
    final int status;

    ExitRequest(int status) {
      super(null, null, false, false);
      this.status = status;
    }
  }

  /** Parses flags into options; help and errors are printed and end in an {@link ExitRequest}. */
  static SwitchboardOptions parse(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine flags = new CommandLine();
    picocli.CommandLine cli = new picocli.CommandLine(flags);
    cli.setOut(out).setErr(err);
    try {
      picocli.CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (picocli.CommandLine.printHelpIfRequested(parsed)) {
        throw new ExitRequest(0);
      }
      return flags.toOptions();
    } catch (picocli.CommandLine.ParameterException e) {
      err.println(e.getMessage());
      err.println("Run with --help for the list of flags.");
      throw new ExitRequest(USAGE);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      throw new ExitRequest(USAGE);
    }
  }
}
