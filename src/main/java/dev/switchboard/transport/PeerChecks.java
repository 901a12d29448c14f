package dev.switchboard.transport;

import dev.switchboard.config.SwitchboardOptions;
import dev.switchboard.protocol.CloseReason;
import dev.switchboard.protocol.ErrorText;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.IdRule;
import dev.switchboard.routing.SignalRouter;

import static dev.switchboard.config.ServerSettings.KEY;
import static dev.switchboard.config.ServerSettings.MAX_ID_LENGTH;

/**
 * The checks every transport makes of a peer before the router sees it, written once: its key, id and
 * token (as PeerServer 1.0.2 checks them, with its ERROR texts) and its address's {@code ip_limit} slot.
 * Refusals are reported to the router's listeners under the transport's name.
 */
public final class PeerChecks {
  private final SignalRouter router;
  private final ConnectionPolicy policy;
  private final String key;
  private final IdRule idRule;

  public PeerChecks(SignalRouter router, ConnectionPolicy policy, SwitchboardOptions options) {
    this.router = router;
    this.policy = policy;
    this.key = options.get(KEY);
    this.idRule = new IdRule(options.get(MAX_ID_LENGTH));
  }

  /** Whether {@code clientKey} is the configured key. */
  public boolean keyMatches(String clientKey) {
    return key.equals(clientKey);
  }

  /**
   * Why a peer asking for {@code id} with {@code token} under {@code clientKey} is refused, in PeerServer's
   * order (missing, then key, then id), or {@code null} when it may go on. PeerServer treats an empty
   * value as missing ({@code !id}). A refusal is reported as the {@code transport}'s from {@code remote}.
   */
  public CloseReason refusal(String transport, String remote, String clientKey, String id, String token) {
    CloseReason refusal = isEmpty(id) || isEmpty(token) || isEmpty(clientKey) ? CloseReason.MISSING_PARAMETERS
        : !keyMatches(clientKey) ? CloseReason.INVALID_KEY
        : !idRule.isValid(id) ? CloseReason.INVALID_ID
        : null;
    if (refusal != null) {
      router.refused(transport, remote, refusal);
    }
    return refusal;
  }

  /**
   * Takes one of {@code remote}'s {@code ip_limit} slots, given back with {@link #releaseSlot}.
   *
   * @return {@code null} when taken; else the ERROR notice for the client ("1.2.3.4 has reached its
   *     concurrent user limit", PeerServer 0.x's), the refusal reported
   */
  public byte[] takeSlot(String transport, String remote) {
    if (policy.perAddress().tryAcquire(remote)) {
      return null;
    }
    router.refused(transport, remote, CloseReason.IP_LIMIT);
    return FrameCodec.error(remote + ErrorText.IP_LIMIT_SUFFIX);
  }

  /** Gives back a slot {@link #takeSlot} took. */
  public void releaseSlot(String remote) {
    policy.perAddress().release(remote);
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
