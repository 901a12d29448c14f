package dev.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --config FILE, SWITCHBOARD_* variables and flags: flags > env > file > defaults, and clear errors. */
class ConfigPrecedenceTest {
  @TempDir
  Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private SwitchboardOptions parse(Map<String, String> env, String... args) {
    return CommandLineParser.parse(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path file(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private String failure(Map<String, String> env, String... args) {
    CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class, () -> parse(env, args));
    assertEquals(2, exit.status());
    return err.toString();
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() throws Exception {
    Path yaml = file("sb.yaml", "port: 7001\nkey: fromfile\nexpire_timeout: 1234\nalive_timeout: 4321\n"
        + "cors:\n  - https://a.example\n  - https://b.example\nallow_discovery: true\n");
    Map<String, String> env = Map.of("SWITCHBOARD_PORT", "7002", "SWITCHBOARD_KEY", "fromenv",
        "SWITCHBOARD_EXPIRE_TIMEOUT", "999");
    SwitchboardOptions o = parse(env, "--config", yaml.toString(), "--port", "7003");
    assertEquals(7003, o.getPort(), "flag wins");
    assertEquals("fromenv", o.getKey(), "env beats file");
    assertEquals(999, o.getExpireTimeout(), "env beats file");
    assertEquals(4321, o.getAliveTimeout(), "file beats default");
    assertEquals(List.of("https://a.example", "https://b.example"), o.getCors());
    assertTrue(o.isAllowDiscovery());
    assertEquals((int) ServerSettings.CONCURRENT_LIMIT.defaultValue(), o.getConcurrentLimit(), "default when unset");
  }

  @Test
  void jsonFileAndPeerServerVariables() throws Exception {
    Path json = file("sb.json", "{\"path\": \"/fromfile\", \"ip_limit\": 3, \"trusted_proxies\": [\"10.0.0.0/8\"]}");
    SwitchboardOptions o = parse(Map.of("PORT", "7100", "PEERSERVER_PATH", "/peerserver"), "--config", json.toString());
    assertEquals(7100, o.getPort());
    assertEquals("/peerserver/", o.getPath());
    assertEquals(3, o.getIpLimit());
    assertEquals(List.of("10.0.0.0/8"), o.getTrustedProxies());
    SwitchboardOptions both = parse(Map.of("PORT", "7100", "SWITCHBOARD_PORT", "7200", "SWITCHBOARD_CORS", "https://x.example, https://y.example"));
    assertEquals(7200, both.getPort(), "SWITCHBOARD_PORT beats PORT");
    assertEquals(List.of("https://x.example", "https://y.example"), both.getCors());
  }

  @Test
  void anUnsetFlagDoesNotHideTheEnvironment() {
    assertEquals(8123, parse(Map.of("SWITCHBOARD_PORT", "8123"), "--key", "k").getPort());
  }

  @Test
  void errorsNameTheKeyAndWhereItCameFrom() throws Exception {
    assertTrue(failure(Map.of("SWITCHBOARD_PORT", "many")).contains("Invalid port from the environment (SWITCHBOARD_PORT): expected a whole number"), err.toString());
    assertTrue(failure(Map.of("SWITCHBOARD_NO_SUCH", "1")).contains("Unknown option no_such from the environment (variable SWITCHBOARD_NO_SUCH)"), err.toString());
    Path yaml = file("bad.yaml", "expire_timeout: soon\n");
    assertTrue(failure(Map.of(), "--config", yaml.toString()).contains("Invalid expire_timeout in " + yaml), err.toString());
    Path unknown = file("unknown.yml", "expire: 5\n");
    assertTrue(failure(Map.of(), "--config", unknown.toString()).contains("Unknown option expire in " + unknown), err.toString());
    Path broken = file("broken.json", "{\"port\": ");
    assertTrue(failure(Map.of(), "--config", broken.toString()).contains(broken + " is not valid JSON"), err.toString());
    assertTrue(failure(Map.of(), "--config", dir.resolve("missing.yaml").toString()).contains("does not exist"), err.toString());
    Path range = file("range.yaml", "ip_limit: 0\n");
    assertTrue(failure(Map.of(), "--config", range.toString()).contains("Invalid ip_limit in " + range + ": must be positive"), err.toString());
    assertTrue(failure(Map.of(), "--trusted_proxies", "proxy.example").contains("Invalid trusted_proxies from the command line (--trusted_proxies)"), err.toString());
    assertTrue(failure(Map.of(), "--log_format", "xml").contains("Invalid log_format from the command line (--log_format): must be text or json"), err.toString());
  }

  @Test
  void peerServersPortVariableIsReportedAsComingFromTheEnvironment() {
    String error = failure(Map.of("PORT", "abc"));
    assertTrue(error.contains("Invalid port from the environment (PORT): expected a whole number (got abc)"), error);
    assertFalse(error.contains("--port"), error);
  }

  @Test
  void booleansTakeTheSameSpellingsFromFlagsEnvironmentAndFile() throws Exception {
    for (String yes : List.of("true", "TRUE", "yes", "on", "1")) {
      assertTrue(parse(Map.of(), "--proxied", yes).isProxied(), yes);
      assertTrue(parse(Map.of("SWITCHBOARD_PROXIED", yes)).isProxied(), yes);
      assertTrue(parse(Map.of(), "--config", file("b.json", "{\"proxied\": \"" + yes + "\"}").toString()).isProxied(), yes);
    }
    for (String no : List.of("false", "No", "off", "0")) {
      assertFalse(parse(Map.of("SWITCHBOARD_PROXIED", "true"), "--proxied", no).isProxied(), no);
      assertFalse(parse(Map.of("SWITCHBOARD_ALLOW_DISCOVERY", no)).isAllowDiscovery(), no);
    }
    String flag = failure(Map.of(), "--allow_discovery", "maybe");
    assertTrue(flag.contains("Invalid allow_discovery from the command line (--allow_discovery): expected one of "
        + ConfigSources.BOOLEAN_SPELLINGS + " (got maybe)"), flag);
    String env = failure(Map.of("SWITCHBOARD_PROXIED", "si"));
    assertTrue(env.contains("Invalid proxied from the environment (SWITCHBOARD_PROXIED): expected one of "
        + ConfigSources.BOOLEAN_SPELLINGS), env);
  }

  @Test
  void badCorsValuesNameTheirSource() throws Exception {
    String flag = failure(Map.of(), "--cors", "https://app.example/");
    assertTrue(flag.contains("Invalid cors from the command line (--cors): https://app.example/ has a path"), flag);
    String env = failure(Map.of("SWITCHBOARD_CORS", "https://a.example,https://b .example"));
    assertTrue(env.contains("Invalid cors from the environment (SWITCHBOARD_CORS)"), env);
    Path yaml = file("cors.yaml", "cors: ['']\n");
    String inFile = failure(Map.of(), "--config", yaml.toString());
    assertTrue(inFile.contains("Invalid cors in " + yaml + ": must not contain an empty origin"), inFile);
  }

  @Test
  void missingKeyOrCertificateFilesNameTheFileAndTheSource() {
    Path key = dir.resolve("nokey.pem");
    Path cert = dir.resolve("nocert.pem");
    String flags = failure(Map.of(), "--sslkey", key.toString(), "--sslcert", cert.toString());
    assertTrue(flags.contains("Invalid sslkey from the command line (--sslkey): file " + key + " does not exist"), flags);
    String env = failure(Map.of("SWITCHBOARD_SSLKEY", key.toString(), "SWITCHBOARD_SSLCERT", cert.toString()));
    assertTrue(env.contains("Invalid sslkey from the environment (SWITCHBOARD_SSLKEY)"), env);
  }

  @Test
  void printConfigShowsTheEffectiveOptionsWithSecretsMasked() {
    CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class,
        () -> parse(Map.of("SWITCHBOARD_IP_LIMIT", "7"), "--key", "s3cret-key", "--print-config"));
    assertEquals(0, exit.status());
    JsonObject printed = new JsonObject(out.toString());
    assertEquals("****", printed.getString("key"));
    assertEquals(7, printed.getInteger("ip_limit"));
    assertFalse(out.toString().contains("s3cret-key"));
  }

  @Test
  void printConfigShowsTheEffectiveDuplicatePolicyAndMasksCredentialsInUrls() {
    CommandLineParser.Exit exit = assertThrows(CommandLineParser.Exit.class, () -> parse(Map.of(),
        "--auth", "session", "--session_url", "https://svc:pa55word@sessions.example:8443/check?api_key=k3y&v=2#frag",
        "--print-config"));
    assertEquals(0, exit.status());
    JsonObject printed = new JsonObject(out.toString());
    assertEquals("takeover", printed.getString("on_duplicate"), "the default with auth on");
    assertEquals("https://****@sessions.example:8443/check?api_key=****&v=****#frag", printed.getString("session_url"));
    assertEquals("peerjs", printed.getString("key"), "the public default key is not a secret");
    assertFalse(out.toString().contains("pa55word") || out.toString().contains("k3y"), out.toString());
    out.getBuffer().setLength(0);
    assertThrows(CommandLineParser.Exit.class, () -> parse(Map.of(), "--print-config"));
    assertEquals("reject", new JsonObject(out.toString()).getString("on_duplicate"), "the default without auth");
  }
}
