using System.Globalization;

namespace EdgeSkyrmion.Protos.V1;

/// <summary>Percents as operators type them ("95%" or "95"), for the staged-rollout options of the CLI and the harness.</summary>
public static class Percent
{
    /// <summary>The number; the server checks the range, so every client refuses the same values the same way.</summary>
    public static double Parse(string text, string option) =>
        double.TryParse(text.TrimEnd('%').Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double p) && double.IsFinite(p)
            ? p : throw new ArgumentException($"{option} {text}: give a percent such as 95%.");

    /// <summary>"1%,10%,100%" as a rollout's groups (cumulative percents).</summary>
    public static RolloutGroupSpec[] Groups(string text, string option) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Select(p => new RolloutGroupSpec { Percent = Parse(p, option) })];
}
