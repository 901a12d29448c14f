package dev.switchboard.log;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.routing.BrokerListener;
import dev.switchboard.routing.PeerLink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One log line per connection event: connected, refused, disconnected, with peer id, transport, client
 * address and reason. Never the token. Each record carries its fields as a map parameter, so the JSON
 * format ({@code --log_format json}) writes them as members.
 */
public final class ConnectionLog implements BrokerListener {
  private static final Logger LOG = Logger.getLogger("dev.switchboard.connections");

  @Override
  public void peerConnected(PeerLink peer) {
    log(Level.INFO, "peer connected", fields("connected", peer.id(), peer.transport(), peer.remoteAddress(), null));
  }

  @Override
  public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
    log(Level.INFO, "connection refused", fields("refused", null, transport, remoteAddress, reason));
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    log(Level.INFO, "peer disconnected", fields("disconnected", peer.id(), peer.transport(), peer.remoteAddress(), reason));
  }

  private static Map<String, Object> fields(String event, String peer, String transport, String address, CloseReason reason) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("event", event);
    if (peer != null) {
      fields.put("peer", peer);
    }
    fields.put("transport", transport);
    fields.put("address", address);
    if (reason != null) {
      fields.put("reason", reason.name().toLowerCase(java.util.Locale.ROOT));
      fields.put("code", (int) reason.code());
    }
    return fields;
  }

  private static void log(Level level, String what, Map<String, Object> fields) {
    if (!LOG.isLoggable(level)) {
      return;
    }
    StringBuilder text = new StringBuilder(what).append(':');
    fields.forEach((k, v) -> {
      if (!"event".equals(k)) {
        text.append(' ').append(k).append('=').append(v);
      }
    });
    LogRecord record = new LogRecord(level, text.toString());
    record.setLoggerName(LOG.getName());
    record.setParameters(new Object[] {fields});
    LOG.log(record);
  }
}
