package dev.switchboard.config;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The kind of value a {@link Setting} holds, and how it is read: strictly from JSON (embedders' {@code
 * JsonObject}), leniently from text (flags, environment variables, YAML), and written back to JSON.
 *
 * @param <T> the value's Java type
 */
public final class SettingType<T> {
  /** The spellings of a boolean taken from flags, the environment and files alike. */
  public static final String BOOLEAN_SPELLINGS = "true, false, yes, no, on, off, 1 or 0";

  public static final SettingType<Integer> INT = new SettingType<>(int.class,
      value -> ((Number) value).intValue(), SettingType::integer, value -> value);
  public static final SettingType<Long> LONG = new SettingType<>(long.class,
      value -> ((Number) value).longValue(), SettingType::number, value -> value);
  public static final SettingType<Boolean> BOOL = new SettingType<>(Boolean.class,
      value -> (Boolean) value, SettingType::bool, value -> value);
  public static final SettingType<String> STRING = new SettingType<>(String.class,
      value -> (String) value, SettingType::text, value -> value);
  public static final SettingType<List<String>> STRINGS = new SettingType<>(List.class,
      value -> strings(((JsonArray) value).getList()), SettingType::list, values -> new JsonArray(new ArrayList<>(values)));

  private final Class<?> cliType;
  private final Function<Object, T> fromJson;
  private final Function<Object, T> parse;
  private final Function<T, Object> toJson;

  private SettingType(Class<?> cliType, Function<Object, T> fromJson, Function<Object, T> parse,
                      Function<T, Object> toJson) {
    this.cliType = cliType;
    this.fromJson = fromJson;
    this.parse = parse;
    this.toJson = toJson;
  }

  /** The type picocli converts the flag's text to; booleans stay text for the yargs spellings. */
  Class<?> cliType() {
    return cliType;
  }

  /** {@code value} as JSON holds it for this type (a number for an int …), without conversion. */
  T fromJson(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("no value");
    }
    return fromJson.apply(value);
  }

  /**
   * {@code value} from a flag, variable or file, converted: numbers from text, booleans spelled as
   * {@link #BOOLEAN_SPELLINGS}, lists from JSON/YAML lists or comma-separated text.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  T parse(Object value) {
    if (value == null) {
      throw new IllegalArgumentException("no value");
    }
    return parse.apply(value);
  }

  /** {@code value} as {@link io.vertx.core.json.JsonObject} holds it. */
  Object toJson(T value) {
    return toJson.apply(value);
  }

  /** {@code values} as an unmodifiable list of strings (null items kept for validation to name). */
  static List<String> strings(List<?> values) {
    List<String> copy = new ArrayList<>();
    for (Object value : values) {
      copy.add((String) value);
    }
    return Collections.unmodifiableList(copy);
  }

  /** {@code value} as a boolean, spelled as {@link #BOOLEAN_SPELLINGS} in any case. */
  static boolean bool(Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1": return true;
      case "false": case "no": case "off": case "0": return false;
      default: throw new IllegalArgumentException("expected one of " + BOOLEAN_SPELLINGS);
    }
  }

  private static int integer(Object value) {
    long n = number(value);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("out of range");
    }
    return (int) n;
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

  private static String text(Object value) {
    if (value instanceof Map || value instanceof List || value instanceof JsonArray
        || value instanceof io.vertx.core.json.JsonObject) {
      throw new IllegalArgumentException("expected a single value");
    }
    return String.valueOf(value);
  }

  private static List<String> list(Object value) {
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
    return Collections.unmodifiableList(items);
  }
}
