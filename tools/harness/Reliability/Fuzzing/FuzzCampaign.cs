using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeSkyrmion.Harness.Reliability.Fuzzing;

/// <summary>
/// Runs a target over its seeds and then mutated inputs. Each input runs under a time limit (over it = a hang, and
/// the campaign stops because the target is still busy); an exception other than the target's clear refusal is a
/// crash, a <see cref="FuzzInvariantException"/> a partial application. Accepted mutants join the corpus.
/// </summary>
public static partial class FuzzCampaign
{
    public sealed record Finding(string Kind, string Exception, string Message, string InputBase64);

    public sealed record Reason(string Message, long Count);

    public sealed record Report(string Target, long Inputs, long Accepted, long Rejected, long Crashes, long Hangs, long PartialApplications,
        int Seed, double Seconds, double InputsPerSecond, IReadOnlyList<Reason> TopRejections, IReadOnlyList<Finding> Findings);

    private const int MaxCorpus = 512;
    private const int MaxFindings = 20;

    public static Report Run(IFuzzTarget target, long inputs, int seed, TimeSpan perInputLimit, Action<double>? progress = null)
    {
        var mutator = new ByteMutator(seed);
        var corpus = new List<byte[]>(target.Seeds);
        var reasons = new Dictionary<string, long>();
        var findings = new List<Finding>();
        long accepted = 0, rejected = 0, crashes = 0, hangs = 0, partial = 0, done = 0;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < inputs; i++)
        {
            byte[] input = i < target.Seeds.Count ? target.Seeds[(int)i] : mutator.Mutate(corpus);
            Task<string?> run = Task.Run(() => target.Run(input));
            done++;
            bool finished;
            try
            {
                finished = run.Wait(perInputLimit);
            }
            catch (AggregateException e)
            {
                Exception inner = e.InnerException!;
                bool invariant = inner is FuzzInvariantException;
                if (invariant) partial++;
                else crashes++;
                if (findings.Count < MaxFindings) findings.Add(new Finding(invariant ? "partial_application" : "crash", inner.GetType().FullName!, FirstLines(inner), Convert.ToBase64String(input)));
                continue;
            }
            if (!finished)
            {
                hangs++;
                findings.Add(new Finding("hang", "", $"no result within {perInputLimit.TotalSeconds} s", Convert.ToBase64String(input)));
                break;
            }
            if (run.Result is { } reason)
            {
                rejected++;
                string key = Normalized(reason);
                reasons[key] = reasons.GetValueOrDefault(key) + 1;
            }
            else
            {
                accepted++;
                if (i >= target.Seeds.Count && corpus.Count < MaxCorpus) corpus.Add(input);
            }
            if (progress is not null && i % 1000 == 0) progress((double)i / inputs);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return new Report(target.Name, done, accepted, rejected, crashes, hangs, partial, seed, seconds, done / Math.Max(seconds, 1e-9),
            [.. reasons.OrderByDescending(p => p.Value).Take(10).Select(p => new Reason(p.Key, p.Value))], findings);
    }

    private static string FirstLines(Exception e) => e.Message + " @ " + (e.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "");

    /// <summary>Groups rejections by message shape: numbers, paths and ids vary per input.</summary>
    private static string Normalized(string message)
    {
        string m = Numbers().Replace(message, "#");
        return m.Length > 120 ? m[..120] : m;
    }

    [GeneratedRegex(@"[0-9a-f]{8,}|-?\d+(\.\d+)?")]
    private static partial Regex Numbers();
}
