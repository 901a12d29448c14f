/**
 * Several brokers acting as one server, on Vert.x clustering with the Hazelcast cluster manager.
 *
 * <p>{@link dev.switchboard.cluster.ClusterNode} joins a broker to the cluster. Who holds which id is
 * kept in a Hazelcast map ({@link dev.switchboard.cluster.ClusteredPeerDirectory}); messages for a
 * peer on another node travel over the Vert.x event bus, point to point to that node's address
 * ({@link dev.switchboard.cluster.NodeBus}). A network split is handled by a quorum
 * ({@link dev.switchboard.cluster.Quorum}: only the side with more than half of the nodes admits new
 * peers), a merge policy for the registry ({@link dev.switchboard.cluster.NewestClaimMergePolicy}) and a
 * reconciliation of each node's connections with the registry after the heal
 * ({@link dev.switchboard.cluster.Reconciler}). See docs/cluster.md.
 */
package dev.switchboard.cluster;
