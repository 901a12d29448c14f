package dev.switchboard.config;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One option of the broker, declared once: its key (the config file's and JSON's key, {@code --key} on
 * the command line, {@code SWITCHBOARD_KEY} in the environment), type, default, {@code --help} text and
 * the rule its value must follow. Each feature package declares its own in a {@code *Settings} class;
 * {@link Settings#ALL} lists them all.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {
  private final String name;
  private final SettingType<T> type;
  private final T defaultValue;
  private final List<String> shortNames;
  private final List<String> envAliases;
  private final String label;
  private final String description;
  private final Function<T, String> rule;
  private final UnaryOperator<T> normalizer;
  private final boolean secret;

  private Setting(Builder<T> b) {
    this.name = b.name;
    this.type = b.type;
    this.defaultValue = b.defaultValue;
    this.shortNames = List.copyOf(b.shortNames);
    this.envAliases = List.copyOf(b.envAliases);
    this.label = b.label;
    this.description = Objects.requireNonNull(b.description, b.name + " needs a description");
    this.rule = b.rule;
    this.normalizer = b.normalizer;
    this.secret = b.secret;
  }

  /** Starts the declaration of the setting {@code name} (snake_case) of {@code type}, unset by default. */
  public static <T> Builder<T> of(String name, SettingType<T> type) {
    return new Builder<>(name, type);
  }

  /** The key: in files and JSON, as {@code --name}, and upper-cased after {@code SWITCHBOARD_}. */
  public String name() {
    return name;
  }

  public SettingType<T> type() {
    return type;
  }

  /** The value when none is given; null for a setting that is off or derived when unset. */
  public T defaultValue() {
    return defaultValue;
  }

  /** Short flags, e.g. {@code -p}. */
  public List<String> shortNames() {
    return shortNames;
  }

  /** Environment variables read too, below {@code SWITCHBOARD_NAME} (PeerServer's {@code PORT}). */
  public List<String> envAliases() {
    return envAliases;
  }

  /** The flag's parameter in {@code --help}, e.g. {@code MS}. */
  public String label() {
    return label;
  }

  /** The {@code --help} text; the default is added for scalar settings that have one. */
  public String description() {
    return description;
  }

  /** Whether {@code --print-config} and {@code toString()} mask the value (unless it is the public default). */
  public boolean secret() {
    return secret;
  }

  /** What is wrong with {@code value} on its own, or null; an unset optional setting is always fine. */
  String problem(T value) {
    if (value != null) {
      return rule == null ? null : rule.apply(value);
    }
    if (defaultValue == null) {
      return null;
    }
    // Text rules say themselves what an empty value means ("must not be empty"); numbers cannot be null.
    return type != SettingType.STRING ? "must be set" : rule == null ? null : rule.apply(null);
  }

  /** {@code value} in canonical form (a path with its slashes …). */
  T normalize(T value) {
    return value == null || normalizer == null ? value : normalizer.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }

  /** Declares a setting; see {@link Setting#of}. */
  public static final class Builder<T> {
    private final String name;
    private final SettingType<T> type;
    private T defaultValue;
    private List<String> shortNames = List.of();
    private List<String> envAliases = List.of();
    private String label = "VALUE";
    private String description;
    private Function<T, String> rule;
    private UnaryOperator<T> normalizer;
    private boolean secret;

    private Builder(String name, SettingType<T> type) {
      this.name = name;
      this.type = type;
      this.label = type == SettingType.BOOL ? "BOOL" : "VALUE";
    }

    public Builder<T> defaultValue(T value) {
      this.defaultValue = value;
      return this;
    }

    public Builder<T> shortNames(String... names) {
      this.shortNames = List.of(names);
      return this;
    }

    public Builder<T> env(String... variables) {
      this.envAliases = List.of(variables);
      return this;
    }

    /** The parameter label and the help text. */
    public Builder<T> help(String label, String description) {
      this.label = label;
      this.description = description;
      return this;
    }

    /** The value must pass {@code ok}, else it is invalid with {@code message}. */
    public Builder<T> check(Predicate<T> ok, String message) {
      return rule(value -> ok.test(value) ? null : message);
    }

    /** {@code problem} says what is wrong with a value, or null when it is fine. */
    public Builder<T> rule(Function<T, String> problem) {
      this.rule = problem;
      return this;
    }

    public Builder<T> normalize(UnaryOperator<T> normalizer) {
      this.normalizer = normalizer;
      return this;
    }

    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    public Setting<T> build() {
      return new Setting<>(this);
    }
  }
}
