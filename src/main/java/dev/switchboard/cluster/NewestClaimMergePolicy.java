package dev.switchboard.cluster;


/**
 * Hazelcast's merge policy for the peer registry after a split heals: where both sides hold a record
 * for one id, the newer claim stays ({@link PeerRecord#newerOf}); a record only one side holds stays.
 *
 * <p>Hazelcast merges the smaller side into the larger and, between equal halves, picks by address, not
 * by who held the quorum. Its default, {@code PutIfAbsentMergePolicy}, keeps the merge target's record,
 * so when a two-node cluster heals with the quorum half merging into the other, it would keep the old
 * owner of an id on the refusing half and drop the claim the quorum half admitted while the old owner
 * was out of sight. The refusing side admits nothing during a split, so its records are all older than
 * anything the quorum side admitted then; keeping the newer claim picks the quorum side's owner whatever
 * the direction of the merge. The loser's node tells its connection when it reconciles (see
 * {@link Reconciler}).
 */
public final class NewestClaimMergePolicy extends NewerValueMergePolicy {

  public NewestClaimMergePolicy() {
  }

  @Override
  protected boolean newer(Object merging, Object existing) {
    String existingRecord = (String) existing;
    return !PeerRecord.newerOf(existingRecord, (String) merging).equals(existingRecord);
  }
}
