using EdgeSkyrmion.Cloud.Fleet.Operator;

namespace EdgeSkyrmion.Cloud.Fleet.Console;

/// <summary>The operator token's digest the login page checks against (the same credential as the operator API).</summary>
public sealed class ConsoleCredential(byte[] tokenDigest)
{
    public bool Matches(string? token) => OperatorToken.Matches(tokenDigest, token?.Trim());
}
