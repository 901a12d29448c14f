package dev.switchboard.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

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
  /** Options shown masked by {@code --print-config}; also any key containing secret, password or token. */
  private static final Set<String> SECRET_KEYS = Set.of("key");

  private static final JsonObject DEFAULTS = new SwitchboardOptions().toJson();

  private ConfigSources() {
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
    JsonObject merged = new JsonObject();
    if (configFile != null) {
      merge(merged, readFile(configFile), "in " + configFile);
    }
    merge(merged, fromEnvironment(env), "from the environment");
    merge(merged, flags, "from the command line");
    return new SwitchboardOptions(merged).validate();
  }

  /** The options as JSON with secrets replaced by {@code "****"}, for {@code --print-config}. */
  public static JsonObject masked(SwitchboardOptions options) {
    JsonObject json = options.toJson();
    for (String name : json.fieldNames()) {
      if (isSecret(name) && json.getValue(name) != null) {
        json.put(name, "****");
      }
    }
    return json;
  }

  static boolean isSecret(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return SECRET_KEYS.contains(n) || n.contains("secret") || n.contains("password") || n.contains("token");
  }

  private static void merge(JsonObject into, JsonObject layer, String source) {
    for (String name : layer.fieldNames()) {
      into.put(name, coerce(name, layer.getValue(name), source));
    }
  }

  static JsonObject fromEnvironment(Map<String, String> env) {
    Map<String, Object> found = new TreeMap<>();
    // PeerServer's variables first, so SWITCHBOARD_PORT / SWITCHBOARD_PATH override them.
    if (env.containsKey("PORT")) {
      found.put("port", env.get("PORT"));
    }
    if (env.containsKey("PEERSERVER_PATH")) {
      found.put("path", env.get("PEERSERVER_PATH"));
    }
    for (Map.Entry<String, String> variable : env.entrySet()) {
      if (variable.getKey().startsWith(ENV_PREFIX)) {
        String name = variable.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        found.put(name, variable.getValue());
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

  /** Turns a value from a file or the environment into the type the option has. */
  private static Object coerce(String name, Object value, String source) {
    Object example = DEFAULTS.getValue(name);
    if (!DEFAULTS.containsKey(name) && !isKnownWithoutDefault(name)) {
      throw new IllegalArgumentException("Unknown option " + name + " " + source
          + (source.startsWith("from the env") ? " (variable " + ENV_PREFIX + name.toUpperCase(Locale.ROOT) + ")" : ""));
    }
    try {
      if (value == null) {
        throw new IllegalArgumentException("no value");
      }
      if (example instanceof JsonArray) {
        return list(value);
      }
      if (example instanceof Boolean) {
        return bool(value);
      }
      if (example instanceof Integer) {
        long n = number(value);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("out of range");
        }
        return (int) n;
      }
      if (example instanceof Long) {
        return number(value);
      }
      if (value instanceof Map || value instanceof List || value instanceof JsonObject || value instanceof JsonArray) {
        throw new IllegalArgumentException("expected a single value");
      }
      return String.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid " + name + " " + source + ": " + e.getMessage()
          + " (got " + (isSecret(name) ? "****" : value) + ")");
    }
  }

  // Options whose default is unset and that JSON therefore does not list.
  private static boolean isKnownWithoutDefault(String name) {
    return SwitchboardOptions.OPTIONAL_KEYS.contains(name);
  }

  private static JsonArray list(Object value) {
    List<String> items = new ArrayList<>();
    if (value instanceof String text) {
      for (String item : text.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    } else if (value instanceof List<?> list) {
      list.forEach(item -> items.add(String.valueOf(item)));
    } else if (value instanceof JsonArray array) {
      array.forEach(item -> items.add(String.valueOf(item)));
    } else {
      throw new IllegalArgumentException("expected a list");
    }
    return new JsonArray(new ArrayList<>(items));
  }

  private static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1": return true;
      case "false": case "no": case "off": case "0": return false;
      default: throw new IllegalArgumentException("expected true or false");
    }
  }

  private static long number(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number) {
      throw new IllegalArgumentException("expected a whole number");
    }
    try {
      return Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number");
    }
  }
}
