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

  @Test
  void queueByteBoundsAreDerivedFromTheHeapUnlessSet() {
    long heap = 1L << 30;
    SwitchboardOptions derived = new SwitchboardOptions();
    assertEquals(heap / 8, derived.queuedBytesTotal(heap));
    // The queue a peer is handed when it connects fits its send buffer.
    assertEquals(derived.getSendBuffer(), derived.queueBytesPerPeer(heap));
    assertEquals(heap / 8 / 32, new SwitchboardOptions().setSendBuffer(64 << 20).queueBytesPerPeer(heap));
    assertEquals(heap / 8 / 32, derived.queueBytesPerSender(heap));
    // A tiny heap still queues a message of the largest size.
    assertEquals(derived.getMaxMessageSize(), derived.queueBytesPerSender(16L << 20));
    SwitchboardOptions set = new SwitchboardOptions(new JsonObject().put("max_queue_bytes_per_peer", 100_000)
        .put("max_queue_bytes_per_sender", 200_000).put("max_queued_bytes_total", 300_000)).validate();
    assertEquals(100_000, set.queueBytesPerPeer(heap));
    assertEquals(200_000, set.queueBytesPerSender(heap));
    assertEquals(300_000, set.queuedBytesTotal(heap));
    assertEquals(set.toJson(), new SwitchboardOptions(set).toJson());
  }

  @Test
  void aQueueByteBoundBelowOneMessageIsRefused() {
    assertEquals("Invalid max_queue_bytes_per_sender: must be 0 (derived from the heap) or at least max_message_size",
        assertThrows(IllegalArgumentException.class,
            () -> new SwitchboardOptions().setMaxQueueBytesPerSender(1000).validate()).getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions().setMaxQueueBytesPerPeer(-1).validate());
    assertThrows(IllegalArgumentException.class, () -> new SwitchboardOptions().setMaxQueuedBytesTotal(10).validate());
  }
}
