package dev.switchboard.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.auth.AuthSettings;
import dev.switchboard.tls.TlsSettings;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Merges the places options come from, highest first: command-line flags, environment variables,
 * the {@code --config} file (JSON or YAML), then the defaults. All use the flags' names as keys
 * ({@code expire_timeout}); the environment spells them {@code SWITCHBOARD_EXPIRE_TIMEOUT}, and
 * PeerServer's {@code PORT} and {@code PEERSERVER_PATH} are read too (below their SWITCHBOARD_ names).
 * A bad value fails with a message naming the key and where it came from.
 */
public final class ConfigSources {
  /** Prefix of the environment variables read as options. */
  public static final String ENV_PREFIX = "SWITCHBOARD_";
  private ConfigSources() {
  }

  /** Options and where each one given came from; {@link #sourceOf} says "by default" for the rest. */
  public record Resolved(SwitchboardOptions options, Map<String, String> sources) {
    /** Where {@code option}'s value came from, e.g. {@code "from the environment (PORT)"}. */
    public String sourceOf(String option) {
      return sources.getOrDefault(option, "by default");
    }

    /** {@code failure} naming where its option's value came from. */
    public InvalidSetting explain(InvalidSetting failure) {
      return failure.from(sourceOf(failure.option()));
    }
  }

  /**
   * The effective options.
   *
   * @param flags options given on the command line, typed
   * @param env the environment
   * @param configFile the {@code --config} file, or null
   * @throws IllegalArgumentException naming the key and its source
   */
  public static SwitchboardOptions resolve(JsonObject flags, Map<String, String> env, Path configFile) {
    return resolveWithSources(flags, env, configFile).options();
  }

  /** {@link #resolve} with where each option came from, to name it in errors found later (a port in use). */
  public static Resolved resolveWithSources(JsonObject flags, Map<String, String> env, Path configFile) {
    JsonObject merged = new JsonObject();
    Map<String, String> sources = new TreeMap<>();
    if (configFile != null) {
      merge(merged, sources, readFile(configFile), name -> "in " + configFile);
    }
    Map<String, String> variables = new TreeMap<>();
    merge(merged, sources, fromEnvironment(env, variables), name -> "from the environment (" + variables.get(name) + ")");
    merge(merged, sources, flags, name -> "from the command line (--" + name + ")");
    Resolved resolved = new Resolved(null, sources);
    try {
      SwitchboardOptions options = new SwitchboardOptions(merged).validate();
      checkReadable(options.get(TlsSettings.SSLKEY), TlsSettings.SSLKEY.name());
      checkReadable(options.get(TlsSettings.SSLCERT), TlsSettings.SSLCERT.name());
      return new Resolved(options, Map.copyOf(sources));
    } catch (InvalidSetting e) {
      throw resolved.explain(e);
    }
  }

  private static void checkReadable(String file, String option) {
    if (file == null) {
      return;
    }
    Path path = Path.of(file);
    if (!Files.exists(path)) {
      throw new InvalidSetting(option, "file " + file + " does not exist");
    }
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new InvalidSetting(option, "cannot read " + file);
    }
  }

  /**
   * The options as JSON for {@code --print-config}: the effective {@code on_duplicate}, secret settings
   * replaced by {@code "****"} (PeerServer's public default key {@code peerjs} is not one), and the user-info and
   * query values of URLs masked, as credentials often ride there.
   */
  public static JsonObject masked(SwitchboardOptions options) {
    JsonObject json = options.masked("****");
    json.put(AuthSettings.ON_DUPLICATE.name(), AuthSettings.onDuplicate(options));
    for (String name : json.fieldNames()) {
      if (name.endsWith("_url") && json.getValue(name) instanceof String url) {
        json.put(name, maskUrl(url));
      }
    }
    return json;
  }

  /** {@code url} with its user-info and every query value replaced by {@code ****}. */
  static String maskUrl(String url) {
    int authority = url.indexOf("://");
    int start = authority < 0 ? 0 : authority + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    int at = url.lastIndexOf('@', end - 1);
    String masked = at >= start ? url.substring(0, start) + "****" + url.substring(at) : url;
    int query = masked.indexOf('?');
    if (query < 0) {
      return masked;
    }
    int fragment = masked.indexOf('#', query);
    String tail = fragment < 0 ? "" : masked.substring(fragment);
    String[] parameters = masked.substring(query + 1, fragment < 0 ? masked.length() : fragment).split("&", -1);
    StringBuilder out = new StringBuilder(masked.substring(0, query + 1));
    for (int i = 0; i < parameters.length; i++) {
      int equals = parameters[i].indexOf('=');
      out.append(i > 0 ? "&" : "").append(equals < 0 ? parameters[i] : parameters[i].substring(0, equals + 1) + "****");
    }
    return out.append(tail).toString();
  }

  private static void merge(JsonObject into, Map<String, String> sources, JsonObject layer,
                            Function<String, String> sourceOf) {
    for (String name : layer.fieldNames()) {
      into.put(name, coerce(name, layer.getValue(name), sourceOf.apply(name)));
      sources.put(name, sourceOf.apply(name));
    }
  }

  /** Options in the environment; {@code variables} is told which variable each came from. */
  static JsonObject fromEnvironment(Map<String, String> env, Map<String, String> variables) {
    Map<String, Object> found = new TreeMap<>();
    // Aliases (PeerServer's PORT, PEERSERVER_PATH) first, so the SWITCHBOARD_ names override them.
    for (Setting<?> setting : Settings.ALL) {
      for (String alias : setting.envAliases()) {
        if (env.containsKey(alias)) {
          found.put(setting.name(), env.get(alias));
          variables.put(setting.name(), alias);
        }
      }
    }
    for (Map.Entry<String, String> variable : env.entrySet()) {
      if (variable.getKey().startsWith(ENV_PREFIX)) {
        String name = variable.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        found.put(name, variable.getValue());
        variables.put(name, variable.getKey());
      }
    }
    return new JsonObject(found);
  }

  private static JsonObject readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("Invalid config: file " + file + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid config: cannot read " + file + ": " + e.getMessage());
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean json = name.endsWith(".json") || (!name.endsWith(".yaml") && !name.endsWith(".yml") && text.trim().startsWith("{"));
    ObjectMapper mapper = json ? new ObjectMapper() : new YAMLMapper();
    Object tree;
    try {
      tree = text.isBlank() ? Map.of() : mapper.readValue(text, Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Invalid config: " + file + " is not valid " + (json ? "JSON" : "YAML")
          + ": " + e.getOriginalMessage());
    }
    if (tree == null) {
      return new JsonObject();
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("Invalid config: " + file + " must hold an object of options (key: value)");
    }
    JsonObject options = new JsonObject();
    map.forEach((k, v) -> options.put(String.valueOf(k), v));
    return options;
  }

  /** Turns a value from a flag, a file or the environment into the JSON form of the option's type. */
  private static Object coerce(String name, Object value, String source) {
    Setting<?> setting = Settings.named(name);
    if (setting == null) {
      throw new IllegalArgumentException("Unknown option " + name + " "
          + source.replace("from the environment (", "from the environment (variable "));
    }
    try {
      return parse(setting, value);
    } catch (IllegalArgumentException e) {
      throw new InvalidSetting(name, e.getMessage() + " (got " + (setting.secret() ? "****" : value) + ")").from(source);
    }
  }

  private static <T> Object parse(Setting<T> setting, Object value) {
    return setting.type().toJson(setting.type().parse(value));
  }

  /** The spellings of a boolean taken from flags, the environment and files alike. */
  public static final String BOOLEAN_SPELLINGS = SettingType.BOOLEAN_SPELLINGS;
}
