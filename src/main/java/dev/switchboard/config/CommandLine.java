package dev.switchboard.config;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code switchboard} command line, built from {@link Settings#ALL}: PeerServer's {@code peerjs} flags
 * with the same names, short forms and meaning, plus Switchboard's own, and {@code --config} and
 * {@code --print-config}.
 */
public final class CommandLine {
  /** The configuration file flag. */
  static final String CONFIG = "--config";
  /** The flag that prints the effective configuration instead of starting. */
  static final String PRINT_CONFIG = "--print-config";

  private CommandLine() {
  }

  /** A fresh picocli model of the command (picocli keeps parsed values in it, so one per parse). */
  public static CommandSpec spec() {
    CommandSpec spec = CommandSpec.create().name("switchboard").version("Switchboard " + Version.current())
        .mixinStandardHelpOptions(true);
    spec.usageMessage().sortOptions(false)
        .description("A WebRTC signalling broker for PeerJS clients, compatible with PeerServer.");
    for (Setting<?> setting : Settings.ALL) {
      spec.addOption(option(setting));
    }
    spec.addOption(OptionSpec.builder(CONFIG).paramLabel("FILE").type(String.class)
        .description("JSON or YAML file of options, keys as the flags (expire_timeout: 5000). "
            + "Flags override environment variables (SWITCHBOARD_EXPIRE_TIMEOUT), which override the file.")
        .build());
    spec.addOption(OptionSpec.builder(PRINT_CONFIG).type(boolean.class).arity("0")
        .description("Print the effective configuration (secrets masked) and exit.").build());
    return spec;
  }

  // Booleans take an optional value and lists several, as PeerServer's yargs does (--proxied true,
  // --cors a b); the value itself is converted by ConfigSources, as for the environment and the file.
  private static OptionSpec option(Setting<?> setting) {
    List<String> names = new ArrayList<>(setting.shortNames());
    names.add("--" + setting.name());
    OptionSpec.Builder option = OptionSpec.builder(names.toArray(String[]::new)).paramLabel(setting.label());
    SettingType<?> type = setting.type();
    String description = setting.description();
    if (type == SettingType.BOOL) {
      option.type(String.class).arity("0..1").fallbackValue("true");
    } else if (type == SettingType.STRINGS) {
      option.type(List.class).auxiliaryTypes(String.class).splitRegex(",").arity("1..*");
    } else {
      option.type(type.cliType());
      if (setting.defaultValue() != null) {
        option.defaultValue(String.valueOf(setting.defaultValue()));
        description += " Default: ${DEFAULT-VALUE}.";
      }
    }
    return option.description(description).build();
  }
}
