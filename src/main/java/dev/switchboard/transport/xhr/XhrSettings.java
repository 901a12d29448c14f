package dev.switchboard.transport.xhr;

import dev.switchboard.config.Setting;

import java.util.List;

import static dev.switchboard.config.SettingType.LONG;

/** PeerJS's XHR fallback (docs/xhr.md). */
public final class XhrSettings {
  public static final Setting<Long> XHR_GRACE_PERIOD = Setting.of("xhr_grace_period", LONG).defaultValue(5_000L)
      .help("MS", "Remove an XHR peer that has had no stream or poll open for this long.")
      .check(v -> v > 0, "must be positive").build();
  public static final Setting<Long> XHR_POLL_TIMEOUT = Setting.of("xhr_poll_timeout", LONG).defaultValue(20_000L)
      .help("MS", "Answer an XHR long-poll with nothing after this long.").check(v -> v > 0, "must be positive").build();

  public static final List<Setting<?>> ALL = List.of(XHR_GRACE_PERIOD, XHR_POLL_TIMEOUT);

  private XhrSettings() {
  }
}
