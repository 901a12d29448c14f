package dev.switchboard.routing;

import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.MessageType;

import java.util.Arrays;

/** Fans events out to the listeners added so far; adding is rare, dispatch is lock-free. */
public final class ListenerSet implements BrokerListener {
  private volatile BrokerListener[] listeners = new BrokerListener[0];

  public synchronized void add(BrokerListener listener) {
    BrokerListener[] grown = Arrays.copyOf(listeners, listeners.length + 1);
    grown[listeners.length] = listener;
    listeners = grown;
  }

  public synchronized void remove(BrokerListener listener) {
    listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(BrokerListener[]::new);
  }

  @Override
  public void peerConnected(PeerLink peer) {
    for (BrokerListener l : listeners) {
      l.peerConnected(peer);
    }
  }

  @Override
  public void connectionRefused(String transport, String remoteAddress, CloseReason reason) {
    for (BrokerListener l : listeners) {
      l.connectionRefused(transport, remoteAddress, reason);
    }
  }

  @Override
  public void peerDisconnected(PeerLink peer, CloseReason reason) {
    for (BrokerListener l : listeners) {
      l.peerDisconnected(peer, reason);
    }
  }

  @Override
  public void messageRelayed(PeerLink from, MessageType type, String dst) {
    for (BrokerListener l : listeners) {
      l.messageRelayed(from, type, dst);
    }
  }

  @Override
  public void messageQueued(PeerLink from, MessageType type, String dst) {
    for (BrokerListener l : listeners) {
      l.messageQueued(from, type, dst);
    }
  }

  @Override
  public void queuedDelivered(PeerLink to, int count) {
    for (BrokerListener l : listeners) {
      l.queuedDelivered(to, count);
    }
  }

  @Override
  public void messageExpired(String absentPeer, String sender) {
    for (BrokerListener l : listeners) {
      l.messageExpired(absentPeer, sender);
    }
  }

  @Override
  public void frameRejected(PeerLink from, String reason) {
    for (BrokerListener l : listeners) {
      l.frameRejected(from, reason);
    }
  }

  @Override
  public void frameReceived(PeerLink from, int bytes) {
    for (BrokerListener l : listeners) {
      l.frameReceived(from, bytes);
    }
  }

  @Override
  public void authLookup(String result, long nanos) {
    for (BrokerListener l : listeners) {
      l.authLookup(result, nanos);
    }
  }

  @Override
  public void callInvited(CallInfo call) {
    for (BrokerListener l : listeners) {
      l.callInvited(call);
    }
  }

  @Override
  public void callRinging(CallInfo call) {
    for (BrokerListener l : listeners) {
      l.callRinging(call);
    }
  }

  @Override
  public void callAccepted(CallInfo call) {
    for (BrokerListener l : listeners) {
      l.callAccepted(call);
    }
  }

  @Override
  public void callMedia(CallInfo call) {
    for (BrokerListener l : listeners) {
      l.callMedia(call);
    }
  }

  @Override
  public void callEnded(CallInfo call, String reason) {
    for (BrokerListener l : listeners) {
      l.callEnded(call, reason);
    }
  }
}
