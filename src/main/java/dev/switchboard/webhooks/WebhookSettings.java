package dev.switchboard.webhooks;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.SettingType.BOOL;
import static dev.switchboard.config.SettingType.INT;
import static dev.switchboard.config.SettingType.LONG;
import static dev.switchboard.config.SettingType.STRINGS;
import static dev.switchboard.config.Settings.check;

/** Signed webhooks to the application's backend and the wake-up of offline callees: docs/webhooks.md. */
public final class WebhookSettings {
  public static final Setting<List<String>> WEBHOOK_URL = Setting.of("webhook_url", STRINGS)
      .help("URL", "POST each event to these http(s) URLs (several: comma-separated or repeated).")
      .rule(WebhookSettings::urlProblem).build();
  public static final Setting<List<String>> WEBHOOK_SECRET = Setting.of("webhook_secret", STRINGS).secret()
      .help("SECRET", "Standard Webhooks signing secrets, whsec_ + base64 of 24-64 bytes; each signs every "
          + "request (rotation). Env SWITCHBOARD_WEBHOOK_SECRET or the config file keep them out of ps.")
      .rule(WebhookSettings::secretProblem).build();
  public static final Setting<List<String>> WEBHOOK_EVENTS = Setting.of("webhook_events", STRINGS)
      .help("TYPES", "Send only these event types (default: all): " + String.join(", ", EventTypes.ALL) + ".")
      .rule(WebhookSettings::eventsProblem).build();
  public static final Setting<Long> WEBHOOK_CONNECT_TIMEOUT = Setting.of("webhook_connect_timeout", LONG)
      .defaultValue(2_000L).help("MS", "Give up connecting to a webhook URL after this long (an attempt failed).")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> WEBHOOK_TIMEOUT = Setting.of("webhook_timeout", LONG).defaultValue(10_000L)
      .help("MS", "A webhook request (connect, send, whole answer) taking longer failed.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> WEBHOOK_RETRY_INITIAL = Setting.of("webhook_retry_initial", LONG)
      .defaultValue(1_000L).help("MS", "First retry after about this long (+-20% jitter), doubling each time.")
      .check(v -> v >= 10, "must be at least 10").build();
  public static final Setting<Long> WEBHOOK_RETRY_MAX_DELAY = Setting.of("webhook_retry_max_delay", LONG)
      .defaultValue(60_000L).help("MS", "Longest wait between two attempts (Retry-After may ask for more).")
      .check(v -> v >= 10, "must be at least 10").build();
  public static final Setting<Long> WEBHOOK_MAX_AGE = Setting.of("webhook_max_age", LONG).defaultValue(600_000L)
      .help("MS", "An event not delivered this long after it happened is dropped (no more retries).")
      .check(v -> v >= 100, "must be at least 100").build();
  public static final Setting<Integer> WEBHOOK_QUEUE_SIZE = Setting.of("webhook_queue_size", INT).defaultValue(10_000)
      .help("N", "Most events waiting per URL; beyond it the oldest is dropped.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> WEBHOOK_WAKEUP_DEADLINE = Setting.of("webhook_wakeup_deadline", LONG)
      .defaultValue(5_000L).help("MS", "A callee.wakeup not answered with 2xx within this long failed: the call "
          + "ends unavailable.").check(v -> v >= 100, "must be at least 100").build();
  public static final Setting<Boolean> WAKEUP_ON_OFFER = Setting.of("wakeup_on_offer", BOOL).defaultValue(false)
      .help("BOOL", "A PeerJS OFFER queued for an absent peer sends callee.wakeup, and its queue waits up to the "
          + "ring time (60 s) instead of expire_timeout.").build();

  public static final List<Setting<?>> ALL = List.of(WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_EVENTS,
      WEBHOOK_CONNECT_TIMEOUT, WEBHOOK_TIMEOUT, WEBHOOK_RETRY_INITIAL, WEBHOOK_RETRY_MAX_DELAY, WEBHOOK_MAX_AGE,
      WEBHOOK_QUEUE_SIZE, WEBHOOK_WAKEUP_DEADLINE, WAKEUP_ON_OFFER);

  // Unsigned webhooks would let anyone who finds the URL post events: a URL needs a secret, and a
  // secret or a wake-up without a URL is a configuration that does not do what it says.
  public static final Consumer<SwitchboardOptions> RULES = WebhookSettings::checkTogether;

  private WebhookSettings() {
  }

  /** Whether webhooks are on (at least one URL). */
  public static boolean enabled(SwitchboardOptions options) {
    List<String> urls = options.get(WEBHOOK_URL);
    return urls != null && !urls.isEmpty();
  }

  private static void checkTogether(SwitchboardOptions o) {
    boolean urls = enabled(o);
    List<String> secrets = o.get(WEBHOOK_SECRET);
    boolean signed = secrets != null && !secrets.isEmpty();
    check(!urls || signed, WEBHOOK_SECRET, "webhook_url needs at least one webhook_secret (requests are signed)");
    check(urls || !signed, WEBHOOK_SECRET, "is set but webhook_url is not");
    check(urls || o.get(WEBHOOK_EVENTS) == null, WEBHOOK_EVENTS, "is set but webhook_url is not");
    check(urls || !o.get(WAKEUP_ON_OFFER), WAKEUP_ON_OFFER, "needs webhook_url (the wake-up is a webhook)");
    check(o.get(WEBHOOK_RETRY_INITIAL) <= o.get(WEBHOOK_RETRY_MAX_DELAY), WEBHOOK_RETRY_INITIAL,
        "must not be more than webhook_retry_max_delay");
  }

  private static String urlProblem(List<String> urls) {
    for (String url : urls) {
      if (!isHttpUrl(url)) {
        return "must be http(s) URLs; not one: " + url;
      }
    }
    return null;
  }

  // The message never repeats a secret: the error is printed and logged.
  private static String secretProblem(List<String> secrets) {
    for (int i = 0; i < secrets.size(); i++) {
      String problem = SigningSecret.problem(secrets.get(i));
      if (problem != null) {
        return "secret " + (i + 1) + " of " + secrets.size() + " " + problem;
      }
    }
    return null;
  }

  private static String eventsProblem(List<String> types) {
    if (types.isEmpty()) {
      return "must name at least one event type (leave it unset for all)";
    }
    for (String type : types) {
      if (!EventTypes.known(type)) {
        return "unknown event type " + type + "; known: " + String.join(", ", EventTypes.ALL);
      }
    }
    return null;
  }

  static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }
}
