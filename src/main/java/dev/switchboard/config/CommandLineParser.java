package dev.switchboard.config;

import java.io.PrintWriter;

/** Turns arguments into options, printing help and errors the way a command-line tool should. */
public final class CommandLineParser {
  /** Exit status for bad flags, as picocli and most command-line tools use. */
  public static final int USAGE = 2;

  private CommandLineParser() {
  }

  /** The process should end with {@link #status()}: help or version was shown, or the flags were bad. */
  public static final class Exit extends RuntimeException {
    private final int status;

    Exit(int status) {
      super(null, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Parses flags into validated options.
   *
   * @throws Exit after printing help (status 0) or an error naming the flag (status 2)
   */
  public static SwitchboardOptions parse(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine flags = new CommandLine();
    picocli.CommandLine cli = new picocli.CommandLine(flags);
    cli.setOut(out).setErr(err);
    try {
      picocli.CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (picocli.CommandLine.printHelpIfRequested(parsed)) {
        throw new Exit(0);
      }
      return flags.toOptions();
    } catch (picocli.CommandLine.ParameterException e) {
      err.println(e.getMessage());
      err.println("Run with --help for the list of flags.");
      throw new Exit(USAGE);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      throw new Exit(USAGE);
    }
  }
}
