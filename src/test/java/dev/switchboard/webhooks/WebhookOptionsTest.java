package dev.switchboard.webhooks;

import dev.switchboard.config.CommandLineParser;
import dev.switchboard.config.SwitchboardOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook options: flags, and every bad value or combination refused by name. */
class WebhookOptionsTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String SECRET2 = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[40]);

  private static SwitchboardOptions parse(String... args) {
    return CommandLineParser.parse(args, new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true));
  }

  @Test
  void flagsTakeSeveralUrlsAndSecrets() {
    SwitchboardOptions o = parse("--webhook_url", "http://a.example/h", "https://b.example/h", "--webhook_secret",
        SECRET + "," + SECRET2, "--webhook_events", "call.ended,callee.wakeup", "--wakeup_on_offer");
    assertEquals(List.of("http://a.example/h", "https://b.example/h"), o.get(WebhookSettings.WEBHOOK_URL));
    assertEquals(List.of(SECRET, SECRET2), o.get(WebhookSettings.WEBHOOK_SECRET));
    assertEquals(List.of("call.ended", "callee.wakeup"), o.get(WebhookSettings.WEBHOOK_EVENTS));
    assertTrue(o.get(WebhookSettings.WAKEUP_ON_OFFER));
    assertFalse(o.toString().contains("MfKQ"), "secrets are masked: " + o);
  }

  @Test
  void secretsComeFromTheEnvironmentOrTheConfigFileOutOfPs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    SwitchboardOptions fromEnv = dev.switchboard.config.ConfigSources.resolve(new JsonObject(),
        java.util.Map.of("SWITCHBOARD_WEBHOOK_URL", "http://a.example/h", "SWITCHBOARD_WEBHOOK_SECRET", SECRET + "," + SECRET2),
        null).validate();
    assertEquals(List.of(SECRET, SECRET2), fromEnv.get(WebhookSettings.WEBHOOK_SECRET));
    java.nio.file.Path yaml = dir.resolve("switchboard.yaml");
    java.nio.file.Files.writeString(yaml, "webhook_url: [http://a.example/h]\nwebhook_secret:\n  - " + SECRET + "\n");
    SwitchboardOptions fromFile = dev.switchboard.config.ConfigSources.resolve(new JsonObject(), java.util.Map.of(), yaml)
        .validate();
    assertEquals(List.of(SECRET), fromFile.get(WebhookSettings.WEBHOOK_SECRET));
  }

  private static void refused(String name, String expected, JsonObject json) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions(json).validate());
    assertTrue(e.getMessage().startsWith("Invalid " + name), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("MfKQ"), "a secret in an error: " + e.getMessage());
  }

  private static JsonObject hooked() {
    return new JsonObject().put("webhook_url", new JsonArray().add("http://127.0.0.1:1/h"))
        .put("webhook_secret", new JsonArray().add(SECRET));
  }

  @Test
  void badValuesFailStartupClearly() {
    refused("webhook_events", "unknown event type call.rung", hooked().put("webhook_events", new JsonArray().add("call.rung")));
    refused("webhook_url", "must be http(s) URLs", hooked().put("webhook_url", new JsonArray().add("ftp://x/h")));
    refused("webhook_secret", "secret 2 of 2 must start with whsec_",
        hooked().put("webhook_secret", new JsonArray().add(SECRET).add("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
    refused("webhook_secret", "must hold 24 to 64 bytes", hooked().put("webhook_secret", new JsonArray().add("whsec_AAAA")));
    refused("webhook_secret", "needs at least one webhook_secret", hooked().put("webhook_secret", new JsonArray()));
    refused("webhook_secret", "webhook_url is not", new JsonObject().put("webhook_secret", new JsonArray().add(SECRET)));
    refused("wakeup_on_offer", "needs webhook_url", new JsonObject().put("wakeup_on_offer", true));
    refused("webhook_timeout", "must be positive", hooked().put("webhook_timeout", 0));
    refused("webhook_retry_initial", "must not be more than", hooked().put("webhook_retry_initial", 5000)
        .put("webhook_retry_max_delay", 1000));
    refused("webhook_queue_size", "must be positive", hooked().put("webhook_queue_size", 0));
  }
}
