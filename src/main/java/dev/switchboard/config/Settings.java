package dev.switchboard.config;

import dev.switchboard.admin.AdminSettings;
import dev.switchboard.auth.AuthSettings;
import dev.switchboard.calls.CallSettings;
import dev.switchboard.cluster.ClusterSettings;
import dev.switchboard.demo.DemoSettings;
import dev.switchboard.metrics.MetricsSettings;
import dev.switchboard.presence.PresenceSettings;
import dev.switchboard.rooms.RoomSettings;
import dev.switchboard.routing.QueueSettings;
import dev.switchboard.tls.TlsSettings;
import dev.switchboard.transport.EdgeSettings;
import dev.switchboard.transport.xhr.XhrSettings;
import dev.switchboard.turn.TurnSettings;
import dev.switchboard.webhooks.WebhookSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Every setting of the broker, in {@code --help} order, and the checks between settings. A feature adds
 * its options by declaring a {@code *Settings} class and listing it here; the command line, environment,
 * config file, JSON and {@code --help} all follow from the declarations.
 */
public final class Settings {
  /** All settings, each package's together. */
  public static final List<Setting<?>> ALL = Stream.of(ServerSettings.ALL, QueueSettings.ALL, EdgeSettings.ALL,
      TlsSettings.ALL, XhrSettings.ALL, MetricsSettings.ALL, ClusterSettings.ALL, AuthSettings.ALL, CallSettings.ALL,
      RoomSettings.ALL, PresenceSettings.ALL, TurnSettings.ALL, AdminSettings.ALL,
      WebhookSettings.ALL, DemoSettings.ALL)
      .flatMap(List::stream).toList();

  /** Checks between settings, run after every setting passed its own rule. */
  static final List<Consumer<SwitchboardOptions>> RULES = List.of(ServerSettings.RULES, QueueSettings.RULES,
      TlsSettings.RULES, MetricsSettings.RULES, ClusterSettings.RULES, AuthSettings.RULES, RoomSettings.RULES,
      PresenceSettings.RULES, TurnSettings.RULES, AdminSettings.RULES,
      WebhookSettings.RULES, DemoSettings.RULES);

  private static final Map<String, Setting<?>> BY_NAME = byName();

  private Settings() {
  }

  /** The setting with key {@code name}, or null. */
  public static Setting<?> named(String name) {
    return BY_NAME.get(name);
  }

  /**
   * Fails with {@code problem} naming {@code setting} unless {@code ok}: for the checks between settings.
   *
   * @throws InvalidSetting when not ok
   */
  public static void check(boolean ok, Setting<?> setting, String problem) {
    if (!ok) {
      throw new InvalidSetting(setting.name(), problem);
    }
  }

  private static Map<String, Setting<?>> byName() {
    Map<String, Setting<?>> map = new LinkedHashMap<>();
    for (Setting<?> setting : ALL) {
      if (map.put(setting.name(), setting) != null) {
        throw new IllegalStateException("Two settings named " + setting.name());
      }
    }
    return Map.copyOf(map);
  }
}
