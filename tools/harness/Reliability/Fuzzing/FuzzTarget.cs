namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// One decoder under fuzz. <see cref="Run"/> returns null when the input was accepted, the rejection's message when
/// the code under test refused it with a clear error, and throws <see cref="FuzzInvariantException"/> when it left
/// a partial or inconsistent result; any other exception escaping is a crash.
/// </summary>
public interface IFuzzTarget : IDisposable
{
    string Name { get; }

    /// <summary>Valid inputs the mutations start from.</summary>
    IReadOnlyList<byte[]> Seeds { get; }

    string? Run(byte[] input);
}

/// <summary>The code under test accepted or refused an input but broke a property it promises (e.g. changed state on refusal).</summary>
public sealed class FuzzInvariantException(string message) : Exception(message);
