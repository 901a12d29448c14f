package dev.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns arguments into options, printing help and errors the way a command-line tool should. */
public final class CommandLineParser {
  /** Exit status for bad flags, as picocli and most command-line tools use. */
  public static final int USAGE = 2;
  /** Flags about reading the configuration rather than options of the broker. */
  private static final Set<String> NOT_OPTIONS = Set.of("config", "print-config", "help", "version");

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
   * Parses flags into validated options, merged with the environment and the {@code --config} file.
   *
   * @throws Exit after printing help or the configuration (status 0) or an error naming the option (status 2)
   */
  public static SwitchboardOptions parse(String[] args, PrintWriter out, PrintWriter err) {
    return parse(args, System.getenv(), out, err);
  }

  /** {@link #parse(String[], PrintWriter, PrintWriter)} with the environment given. */
  public static SwitchboardOptions parse(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return parseResolved(args, env, out, err).options();
  }

  /** {@link #parse} keeping where each option came from, to name it when starting fails on it (a port in use). */
  public static ConfigSources.Resolved parseResolved(String[] args, Map<String, String> env, PrintWriter out,
                                                     PrintWriter err) {
    picocli.CommandLine cli = new picocli.CommandLine(CommandLine.spec());
    cli.setOut(out).setErr(err);
    try {
      picocli.CommandLine.ParseResult parsed = cli.parseArgs(args);
      if (picocli.CommandLine.printHelpIfRequested(parsed)) {
        throw new Exit(0);
      }
      String config = parsed.matchedOptionValue(CommandLine.CONFIG, null);
      ConfigSources.Resolved resolved = ConfigSources.resolveWithSources(given(parsed), env,
          config == null ? null : Path.of(config));
      if (parsed.hasMatchedOption(CommandLine.PRINT_CONFIG)) {
        out.println(ConfigSources.masked(resolved.options()).encodePrettily());
        throw new Exit(0);
      }
      return resolved;
    } catch (picocli.CommandLine.ParameterException e) {
      err.println(e.getMessage());
      err.println("Run with --help for the list of flags.");
      throw new Exit(USAGE);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      throw new Exit(USAGE);
    }
  }

  // Only flags actually on the command line, so that unset ones leave the environment and file alone.
  // A flag's long name is its option's key.
  private static JsonObject given(picocli.CommandLine.ParseResult parsed) {
    JsonObject json = new JsonObject();
    for (picocli.CommandLine.Model.OptionSpec option : parsed.matchedOptions()) {
      String name = option.longestName().replaceFirst("^-+", "");
      if (NOT_OPTIONS.contains(name)) {
        continue;
      }
      Object value = option.getValue();
      json.put(name, value instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : value);
    }
    return json;
  }
}
