package dev.switchboard.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryMergedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.switchboard.protocol.CloseReason;

/**
 * The peer registry's map events, as one node's {@link ClusteredPeerDirectory} follows them: where the
 * other nodes' peers are, and whether a link of this node lost its id to a change made elsewhere (a
 * takeover on another node, or the merge after a split). Events for this node's own records are ignored:
 * it updated its view when it wrote them. Runs on Hazelcast's event threads.
 */
final class RegistryEvents implements EntryAddedListener<String, String>, EntryUpdatedListener<String, String>,
    EntryRemovedListener<String, String>, EntryEvictedListener<String, String>, EntryMergedListener<String, String> {
  private final ClusteredPeerDirectory directory;

  RegistryEvents(ClusteredPeerDirectory directory) {
    this.directory = directory;
  }

  @Override
  public void entryAdded(EntryEvent<String, String> event) {
    PeerRecord record = PeerRecord.parse(event.getValue());
    if (!record.node().equals(directory.nodeId())) {
      directory.seenElsewhere(event.getKey(), record);
    }
    directory.settled(event.getKey(), record.node());
  }

  @Override
  public void entryUpdated(EntryEvent<String, String> event) {
    changed(event, CloseReason.SUPERSEDED); // taken over on another node with the same token
  }

  // The merge after a split kept this record; if it is not the one our link holds, the link lost.
  @Override
  public void entryMerged(EntryEvent<String, String> event) {
    changed(event, CloseReason.CLUSTER_CONFLICT);
  }

  private void changed(EntryEvent<String, String> event, CloseReason reason) {
    String value = event.getValue();
    if (value == null) {
      return;
    }
    PeerRecord record = PeerRecord.parse(value);
    directory.settled(event.getKey(), record.node());
    if (record.node().equals(directory.nodeId())) {
      return;
    }
    directory.seenElsewhere(event.getKey(), record);
    // Only a change of the very record our link holds ends it: an event from before our own newer
    // claim must not. A merge event may carry no old value; the merged value then decides.
    ClusteredPeerDirectory.Held h = directory.heldNow(event.getKey());
    String old = event.getOldValue();
    boolean merged = reason == CloseReason.CLUSTER_CONFLICT;
    if (h != null && !h.record().equals(value) && (h.record().equals(old) || old == null && merged)) {
      directory.lose(event.getKey(), h, value, merged ? ClusteredPeerDirectory.reasonFor(h, value) : reason);
    }
  }

  @Override
  public void entryRemoved(EntryEvent<String, String> event) {
    forget(event);
  }

  @Override
  public void entryEvicted(EntryEvent<String, String> event) {
    forget(event);
  }

  private void forget(EntryEvent<String, String> event) {
    if (event.getOldValue() != null) {
      directory.goneFrom(event.getKey(), PeerRecord.parse(event.getOldValue()).node());
    }
  }
}
