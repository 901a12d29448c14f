package dev.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwitchboardOptionsTest {

  @Test
  void jsonUsesTheFlagNamesAndRoundTrips() {
    SwitchboardOptions options = new SwitchboardOptions(new JsonObject()
        .put("port", 1234).put("path", "app").put("expire_timeout", 700).put("allow_discovery", true)
        .put("cors", new io.vertx.core.json.JsonArray().add("https://a.example")));
    assertEquals(1234, options.getPort());
    assertEquals("/app/", options.getPath());
    assertEquals(700, options.getExpireTimeout());
    assertEquals(options.toJson(), new SwitchboardOptions(options).toJson());
  }

  @Test
  void unknownKeysAndWrongTypesNameTheKey() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new SwitchboardOptions(new JsonObject().put("expire_timout", 1)));
    assertTrue(unknown.getMessage().contains("expire_timout"), unknown.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> new SwitchboardOptions(new JsonObject().put("port", "many")));
    assertTrue(type.getMessage().contains("port"), type.getMessage());
  }

  @Test
  void validationNamesTheOption() {
    assertEquals("Invalid max_message_size: must be at least 256",
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions().setMaxMessageSize(10).validate())
            .getMessage());
    assertEquals("Invalid concurrent_limit: must be positive",
        assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions().setConcurrentLimit(0).validate())
            .getMessage());
  }

  @Test
  void theCopyIsDefensive() {
    SwitchboardOptions original = new SwitchboardOptions().setKey("a");
    SwitchboardOptions copy = new SwitchboardOptions(original);
    original.setKey("b");
    assertEquals("a", copy.getKey());
  }
}
