package dev.switchboard.turn;

import dev.switchboard.auth.AuthSettings;
import dev.switchboard.config.InvalidSetting;
import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import static dev.switchboard.config.SettingType.BOOL;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRING;
import static dev.switchboard.config.SettingType.STRINGS;
import static dev.switchboard.config.Settings.check;

/** TURN and STUN servers handed to peers, with short-lived coturn credentials (docs/turn.md). */
public final class TurnSettings {
  /** Shorter shared secrets are refused: the secret is all that keeps strangers off the relay. */
  public static final int MIN_SECRET_LENGTH = 16;
  /** The longest credential lifetime accepted (30 days); short lifetimes are the point. */
  public static final long MAX_TTL_SECONDS = 30L * 24 * 3600;

  // RFC 7065 (turn:host[:port][?transport=udp|tcp]) and RFC 7064 (stun:host[:port]); hosts are names,
  // IPv4 addresses or bracketed IPv6 addresses.
  private static final String HOST_PORT = "(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::[0-9]{1,5})?";
  static final Pattern TURN_URI = Pattern.compile("turns?:" + HOST_PORT + "(?:\\?transport=(?:udp|tcp))?");
  static final Pattern STUN_URI = Pattern.compile("stuns?:" + HOST_PORT);

  public static final Setting<List<String>> TURN_SECRET = Setting.of("turn_secret", STRINGS).secret()
      .help("SECRET", "coturn's static-auth-secret (use-auth-secret); several for rotation: the first signs, coturn "
          + "must hold all (repeat the flag or separate with commas). Prefer env SWITCHBOARD_TURN_SECRET or "
          + "--turn_secret_file, which keep it out of ps.")
      .rule(TurnSettings::secretProblem).build();
  public static final Setting<String> TURN_SECRET_FILE = Setting.of("turn_secret_file", STRING)
      .help("FILE", "File of TURN secrets, one a line, the signing one first (instead of --turn_secret).").build();
  public static final Setting<List<String>> TURN_URIS = Setting.of("turn_uris", STRINGS)
      .help("URIS", "TURN servers peers get credentials for: turn:host:port?transport=udp, turns:host:5349?transport=tcp …")
      .rule(uris -> uriProblem(uris, TURN_URI, "turn:host[:port][?transport=udp|tcp] or turns:…")).build();
  public static final Setting<List<String>> STUN_URIS = Setting.of("stun_uris", STRINGS)
      .help("URIS", "STUN servers handed to peers with the TURN servers: stun:host:port …")
      .rule(uris -> uriProblem(uris, STUN_URI, "stun:host[:port] or stuns:host[:port]")).build();
  public static final Setting<Long> TURN_TTL = Setting.of("turn_ttl", LONG).defaultValue(3600L)
      .help("SECONDS", "Lifetime of a TURN credential; pushed peers get fresh ones every 0.4 × this.")
      .check(v -> v > 0 && v <= MAX_TTL_SECONDS, "must be between 1 and " + MAX_TTL_SECONDS + " seconds").build();
  public static final Setting<Boolean> TURN_ALLOW_ANONYMOUS = Setting.of("turn_allow_anonymous", BOOL)
      .defaultValue(false)
      .help("BOOL", "With auth none, hand TURN credentials to anyone who reaches the broker (an open relay: "
          + "a cost and abuse risk, see docs/turn.md).").build();

  public static final List<Setting<?>> ALL = List.of(TURN_SECRET, TURN_SECRET_FILE, TURN_URIS, STUN_URIS, TURN_TTL,
      TURN_ALLOW_ANONYMOUS);

  // Fail closed: TURN servers without a secret to sign with, or a secret nobody uses, is a mistake.
  public static final Consumer<SwitchboardOptions> RULES = TurnSettings::checkTogether;

  private TurnSettings() {
  }

  /** Whether TURN servers are configured (then {@link #secrets} has at least one). */
  public static boolean turnEnabled(SwitchboardOptions options) {
    List<String> uris = options.get(TURN_URIS);
    return uris != null && !uris.isEmpty();
  }

  /**
   * The secrets, signing one first: {@code turn_secret}, or the lines of {@code turn_secret_file}
   * (blank lines and lines starting with {@code #} skipped, surrounding spaces trimmed).
   *
   * @throws InvalidSetting when the file cannot be read or holds a bad secret
   */
  public static List<String> secrets(SwitchboardOptions options) {
    String file = options.get(TURN_SECRET_FILE);
    if (file == null) {
      List<String> given = options.get(TURN_SECRET);
      return given == null ? List.of() : List.copyOf(given);
    }
    List<String> secrets = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        String secret = line.strip();
        if (!secret.isEmpty() && !secret.startsWith("#")) {
          secrets.add(secret);
        }
      }
    } catch (NoSuchFileException e) {
      throw new InvalidSetting(TURN_SECRET_FILE.name(), "file " + file + " does not exist");
    } catch (IOException | RuntimeException e) {
      throw new InvalidSetting(TURN_SECRET_FILE.name(), "cannot read " + file + ": " + e.getMessage());
    }
    check(!secrets.isEmpty(), TURN_SECRET_FILE, file + " holds no secret");
    String problem = secretProblem(secrets);
    check(problem == null, TURN_SECRET_FILE, problem == null ? "" : problem.replace("each secret", "each line"));
    return List.copyOf(secrets);
  }

  private static void checkTogether(SwitchboardOptions o) {
    boolean secretGiven = o.get(TURN_SECRET) != null && !o.get(TURN_SECRET).isEmpty();
    check(!secretGiven || o.get(TURN_SECRET_FILE) == null, TURN_SECRET_FILE, "give turn_secret or turn_secret_file, not both");
    boolean anySecret = secretGiven || o.get(TURN_SECRET_FILE) != null;
    boolean turn = turnEnabled(o);
    check(!turn || anySecret, TURN_URIS, "needs turn_secret or turn_secret_file (coturn's static-auth-secret) "
        + "to sign credentials with");
    check(turn || !anySecret, secretGiven ? TURN_SECRET : TURN_SECRET_FILE, "is set but turn_uris is not");
    check(!o.get(TURN_ALLOW_ANONYMOUS) || turn, TURN_ALLOW_ANONYMOUS, "is set but turn_uris is not");
    check(!o.get(TURN_ALLOW_ANONYMOUS) || !AuthSettings.enabled(o), TURN_ALLOW_ANONYMOUS,
        "is set but auth is " + o.get(AuthSettings.AUTH) + ": credentials go to verified users, never to anonymous ones");
    if (turn) {
      secrets(o);
    }
  }

  private static String secretProblem(List<String> secrets) {
    for (String secret : secrets) {
      if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
        return "each secret must be at least " + MIN_SECRET_LENGTH + " characters";
      }
    }
    return null;
  }

  private static String uriProblem(List<String> uris, Pattern shape, String expected) {
    for (String uri : uris) {
      if (uri == null || !shape.matcher(uri).matches()) {
        return "bad URI " + uri + ": expected " + expected;
      }
      int colon = uri.lastIndexOf(':');
      String port = uri.substring(colon + 1).replaceAll("\\?.*", "");
      if (colon > uri.indexOf(':') && !uri.endsWith("]") && port.matches("[0-9]+")
          && (Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
        return "bad URI " + uri + ": port must be between 1 and 65535";
      }
    }
    return null;
  }
}
