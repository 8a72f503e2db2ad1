namespace EdgeSkyrmion.Edge.Transport;

/// <summary>
/// How long a device waits before its next connection attempt: capped exponential backoff with full jitter (each wait
/// drawn uniformly from zero to the current ceiling, which doubles per failure). Drawing over the whole window, not
/// adding a little noise to a fixed wait, matters for a fleet: thousands of devices that lost their node together
/// would otherwise come back in synchronized waves, each wave overloading the nodes and failing again.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan cap, Random random)
{
    /// <summary>
    /// The fleet client's policy: the ceiling starts at 0.2 s and doubles to 60 s. A device whose node died reaches
    /// another at its next attempt, so only long outages climb that far; then each wearable wakes its radio about twice a
    /// minute instead of every few seconds, and a fleet coming back does not bury the nodes in handshakes they cannot finish
    /// (a 10 s cap: 353,399 lost connections while 20,000 devices connected to three nodes on this box).
    /// </summary>
    public static ReconnectBackoff ForFleet() => new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), Random.Shared);

    private readonly TimeSpan _initial = initial > TimeSpan.Zero && cap >= initial
        ? initial : throw new ArgumentOutOfRangeException(nameof(cap), $"backoff needs 0 < initial ≤ cap (got initial {initial}, cap {cap}).");
    private readonly TimeSpan _cap = cap;

    /// <summary>The current ceiling: the longest the next wait can be.</summary>
    public TimeSpan Ceiling { get; private set; } = initial;

    /// <summary>The wait before the next attempt (uniform in [0, ceiling]); the ceiling then doubles, up to the cap.</summary>
    public TimeSpan Next()
    {
        TimeSpan wait = Ceiling * random.NextDouble();
        Ceiling = Ceiling * 2 < _cap ? Ceiling * 2 : _cap;
        return wait;
    }

    /// <summary>Back to the initial ceiling once a session is welcomed: old failures do not punish a link that works again.</summary>
    public void Reset() => Ceiling = _initial;
}
