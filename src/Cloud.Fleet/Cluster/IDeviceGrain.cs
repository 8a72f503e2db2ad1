namespace EdgeSkyrmion.Cloud.Fleet.Cluster;

/// <summary>
/// One device, cluster-wide (keyed by its id): which node holds its one live stream, and the update in flight to it.
/// Orleans keeps one activation per device in the cluster, so these decisions are taken in one place whichever node the
/// device connects to. What the device holds (model, version, digest, preset), its credential hash, health and lifetime
/// energy are its row in the fleet database's <c>devices</c> table, written in the same transaction as the ack that
/// changed them; the grain keeps no second copy (it did until 2026-12-02: one more write per update, after the ack's,
/// that lagged the row whenever the grain was out of reach).
/// </summary>
public interface IDeviceGrain : IGrainWithStringKey
{
    /// <summary>
    /// A stream of the device opened on <paramref name="node"/> at <paramref name="openedUnixMs"/>; of it and a stream the
    /// device still has, the older is closed with a reason: across nodes the one held before, on one node the one the
    /// node numbered first (<paramref name="session"/>). Returns the node that held the previous stream, or null.
    /// </summary>
    Task<string?> Attach(IDeviceConnections connections, string node, long session, long openedUnixMs);

    /// <summary>
    /// A node tells the grain again of a stream it holds, after a silo died: a grain that lived there is activated
    /// afresh knowing no stream (connections are not stored), and two nodes may each still hold one of the device's
    /// streams. The newer stream (by when it opened) is the live one; the older is closed with the reason.
    /// </summary>
    Task Reattach(IDeviceConnections connections, string node, long session, long openedUnixMs);

    /// <summary>The stream ended; forgotten unless a newer one replaced it.</summary>
    Task Detach(string node, long session);

    /// <summary>Closes the device's live stream, wherever it is, with the reason (its credentials were revoked or replaced).</summary>
    Task Disconnect(string reason);

    /// <summary>Asks the node holding the device's stream to send its next update; false when no node holds one.</summary>
    Task<bool> Push();

    /// <summary>
    /// Claims the device's one in-flight slot for <paramref name="updateId"/> from the stream <paramref name="session"/>
    /// on <paramref name="node"/>; refused (false) when that stream is no longer the device's live one. The slot is the live
    /// stream itself (one per device, cluster-wide; its node sends one update at a time), so nothing is written: the fleet
    /// database's record of the update (its rollout entry reads sent) is what a re-sent or resumed update starts from after
    /// a silo's death.
    /// </summary>
    Task<bool> BeginUpdate(string updateId, string node, long session);

    /// <summary>The node holding the device's live stream, or null (not stored: a restart forgets connections).</summary>
    Task<string?> LiveNode();
}
