package dev.switchboard.support;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.AbstractPeerLink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A peer link without a transport, for unit tests of the routing core: it records what it is sent. */
public final class FakeLink extends AbstractPeerLink {
  public final List<String> sent = new CopyOnWriteArrayList<>();
  public volatile CloseReason closedWith;

  public FakeLink(String id, String token, long now) {
    super(id, token, "test", now);
  }

  @Override
  public String transport() {
    return "fake";
  }

  @Override
  public boolean send(byte[] message) {
    if (isClosed()) {
      return false;
    }
    sent.add(new String(message, StandardCharsets.UTF_8));
    return true;
  }

  @Override
  protected void doClose(CloseReason reason) {
    closedWith = reason;
  }
}
