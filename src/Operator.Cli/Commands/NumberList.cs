using System.Globalization;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>A comma-separated option of numbers, each checked on its own so the error names the value that is wrong.</summary>
internal static class NumberList
{
    /// <summary>The values of <paramref name="text"/>; one that does not parse or fails <paramref name="valid"/> is refused as not <paramref name="what"/>.</summary>
    public static double[] Parse(string text, string option, Func<double, bool> valid, string what)
    {
        double[] values = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, CultureInfo.InvariantCulture, out double x) && valid(x) ? x : throw new ArgumentException($"{option}: '{v}' is not {what}."))];
        return values.Length > 0 ? values : throw new ArgumentException($"{option} is empty.");
    }
}
