package dev.switchboard.config;

/**
 * A setting the broker cannot run with, naming the option ({@code port}, {@code cors} …) and, once
 * known, where its value came from (a flag, the environment, the config file, the default). {@code java
 * -jar} exits with status 2 on one, at parse time or at start (a port in use, a key that does not match
 * its certificate).
 */
public final class InvalidSetting extends IllegalArgumentException {
  private final String option;
  private final String problem;

  /** @param option the option's key, as the flags spell it without dashes */
  public InvalidSetting(String option, String problem) {
    this(option, problem, null);
  }

  private InvalidSetting(String option, String problem, String source) {
    super("Invalid " + option + (source == null ? "" : " " + source) + ": " + problem);
    this.option = option;
    this.problem = problem;
  }

  /** The option's key. */
  public String option() {
    return option;
  }

  /** This failure with where the option's value came from, e.g. {@code "from the command line (--port)"}. */
  public InvalidSetting from(String source) {
    return new InvalidSetting(option, problem, source);
  }
}
