package dev.switchboard.demo;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardOptions;

import java.util.List;
import java.util.function.Consumer;

import static dev.switchboard.config.ServerSettings.PATH;
import static dev.switchboard.config.Settings.check;
import static dev.switchboard.config.SettingType.BOOL;

/** The try-it page at {@code /demo/}: docs/demo.md. */
public final class DemoSettings {
  public static final Setting<Boolean> DEMO = Setting.of("demo", BOOL).defaultValue(false)
      .help("BOOL", "Serve a page to try the broker in two browser tabs at /demo/ (not for production).")
      .build();

  public static final List<Setting<?>> ALL = List.of(DEMO);

  // The page lives at /demo/ whatever --path is; a --path there would put PeerServer's API on top of it.
  public static final Consumer<SwitchboardOptions> RULES = options -> check(
      !options.get(DEMO) || !options.get(PATH).startsWith(DemoPage.ROOT), DEMO,
      "cannot serve " + DemoPage.ROOT + " when --path is " + options.get(PATH) + "; choose another --path");

  private DemoSettings() {
  }
}
