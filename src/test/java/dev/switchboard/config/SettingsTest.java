package dev.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each declared setting reaches every source: --help, flags, the environment, JSON. */
class SettingsTest {
  private final StringWriter out = new StringWriter();

  private ConfigSources.Resolved parse(Map<String, String> env, String... args) {
    return CommandLineParser.parseResolved(args, env, new PrintWriter(out, true), new PrintWriter(new StringWriter()));
  }

  @Test
  void helpListsEverySettingWithItsShortNamesAndDefault() {
    assertThrows(CommandLineParser.Exit.class, () -> parse(Map.of(), "--help"));
    String help = out.toString().replaceAll("\\s+", " ");
    for (Setting<?> setting : Settings.ALL) {
      assertTrue(setting.name().matches("[a-z0-9_]+"), setting.name());
      assertTrue(help.contains("--" + setting.name()), setting + " in " + help);
      setting.shortNames().forEach(shortName -> assertTrue(help.contains(shortName + ", --" + setting.name()), shortName));
    }
    assertTrue(help.contains("-t, --expire_timeout=MS How long messages wait for an absent peer before the sender "
        + "gets EXPIRE. Default: 5000."), help);
  }

  @Test
  void everySettingIsReadFromItsEnvironmentVariableAndItsFlag() {
    for (Setting<?> setting : Settings.ALL) {
      if (setting.defaultValue() == null) {
        continue;
      }
      String text = text(setting.defaultValue());
      String variable = ConfigSources.ENV_PREFIX + setting.name().toUpperCase(Locale.ROOT);
      ConfigSources.Resolved env = parse(Map.of(variable, text));
      assertEquals("from the environment (" + variable + ")", env.sourceOf(setting.name()));
      assertEquals(setting.defaultValue(), env.options().get(setting), variable);
      if (text.isEmpty()) {
        continue; // an empty list has no flag form: --cors takes at least one origin
      }
      ConfigSources.Resolved flag = parse(Map.of(), "--" + setting.name() + "=" + text);
      assertEquals("from the command line (--" + setting.name() + ")", flag.sourceOf(setting.name()));
      assertEquals(setting.defaultValue(), flag.options().get(setting), setting.name());
    }
  }

  @Test
  void jsonCarriesEverySettingThatHasAValue() {
    JsonObject json = new SwitchboardOptions().toJson();
    for (Setting<?> setting : Settings.ALL) {
      assertEquals(setting.defaultValue() != null, json.containsKey(setting.name()), setting.name());
    }
    assertEquals(json, new SwitchboardOptions(json).toJson());
  }

  @Test
  void typedAccessIsTheFluentAccess() {
    SwitchboardOptions options = new SwitchboardOptions().set(ServerSettings.PATH, "app");
    assertEquals("/app/", options.getPath());
    assertEquals(9001, options.setPort(9001).get(ServerSettings.PORT));
    assertNotNull(Settings.named("port"));
  }

  private static String text(Object value) {
    return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
        : String.valueOf(value);
  }
}
