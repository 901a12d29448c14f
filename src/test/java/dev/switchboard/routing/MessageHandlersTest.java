package dev.switchboard.routing;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: PeerServer's entries by default, each replaceable; server-only and odd names refused. */
class MessageHandlersTest {
  private final MessageHandlers handlers = new MessageHandlers();

  @Test
  void peerServerTypesAreTheDefaultEntries() {
    assertEquals(Set.of("HEARTBEAT", "OFFER", "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE"), handlers.types());
    assertSame(PeerServerHandlers.RELAY, handlers.handler("OFFER"));
    assertSame(PeerServerHandlers.LEAVE, handlers.handler("LEAVE"));
    assertNull(handlers.handler("offer"), "types are matched exactly, as PeerServer's switch does");
    assertNull(handlers.handler("OPEN"));
  }

  @Test
  void anEntryIsReplacedAndANewTypeAdded() {
    MessageHandler logging = (from, frame, broker) -> { };
    handlers.register("OFFER", logging).register("CALL-INVITE", logging);
    assertSame(logging, handlers.handler("OFFER"));
    assertSame(logging, handlers.handler("CALL-INVITE"));
    assertTrue(handlers.handlesIgnoringCase("call-invite"));
    assertTrue(handlers.handlesIgnoringCase("candidate"));
    assertFalse(handlers.handlesIgnoringCase("room-join"));
  }

  @Test
  void serverOnlyTypesCannotBeRegistered() {
    for (String type : MessageHandlers.SERVER_ONLY) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> handlers.register(type, (from, frame, broker) -> { }));
      assertTrue(e.getMessage().startsWith("Message type " + type + " is the server's to send"), e.getMessage());
      assertNull(handlers.handler(type));
    }
  }

  @Test
  void namesThatCannotBeWrittenPlainlyAreRefused() {
    for (String type : new String[] {"", "A B", "A\"B", "A\\B", "ÄRGER", "A\nB", "X".repeat(65)}) {
      assertThrows(IllegalArgumentException.class, () -> handlers.register(type, (from, frame, broker) -> { }), type);
    }
    assertThrows(NullPointerException.class, () -> handlers.register("OK", null));
    handlers.register("X".repeat(64), (from, frame, broker) -> { });
  }
}
