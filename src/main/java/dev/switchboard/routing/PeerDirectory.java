package dev.switchboard.routing;

import io.vertx.core.Future;

import java.util.Collection;
import java.util.List;

/**
 * Who holds which id. The memory implementation serves one node; a clustered one can take its place
 * behind this interface, which is why claiming answers with a {@link Future}.
 */
public interface PeerDirectory {

  /**
   * Claims {@code link.id()} for {@code link}, by the takeover rule and within the concurrent limit.
   * An admitted link is entered at once but is not {@linkplain PeerLink#isReady() ready}.
   */
  Future<Admission> claim(PeerLink link);

  /** The link holding {@code id} on this node, or {@code null}. */
  PeerLink lookup(String id);

  /** Removes {@code link} if it still holds its id; {@code true} if it did. */
  boolean remove(PeerLink link);

  /** Whether {@code id} is held by anyone. */
  boolean contains(String id);

  /** The ids held (for discovery). */
  Collection<String> ids();

  /** The links held on this node (for sweeping and shutdown). */
  Collection<PeerLink> links();

  /**
   * The ids held by connections of verified user {@code userId}, as far as this node knows now (see
   * {@link Broker#peersOfUser}); kept in an index updated on connect and disconnect, off the relay path.
   */
  Future<List<String>> peersOfUser(String userId);

  /** How many ids are held. */
  int size();
}
