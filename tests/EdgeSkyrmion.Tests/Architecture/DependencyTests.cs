using System.Text.RegularExpressions;
using System.Xml.Linq;
using EdgeSkyrmion.Harness.Demo;

namespace EdgeSkyrmion.Tests.Architecture;

/// <summary>
/// The dependency graph goes one way: projects (their ProjectReferences) and the folders inside them (a file's
/// namespace and the EdgeSkyrmion namespaces it imports) form no cycle; the fleet server's closure holds no
/// TorchSharp; nothing but the tests depends on the operator CLI or the harness.
/// </summary>
public sealed partial class DependencyTests
{
    private static readonly string Root = ProgramPaths.RepositoryRoot();

    private static IEnumerable<string> Projects() =>
        new[] { "src", "tools" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.csproj", SearchOption.AllDirectories));

    private static Dictionary<string, string[]> ProjectGraph() => Projects().ToDictionary(
        p => Path.GetFileNameWithoutExtension(p),
        p => XDocument.Load(p).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value)).ToArray());

    /// <summary>Every namespace declared under src/ and tools/ → the EdgeSkyrmion namespaces its files import.</summary>
    private static Dictionary<string, string[]> NamespaceGraph()
    {
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (string file in new[] { "src", "tools" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories)))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)) continue;
            string text = File.ReadAllText(file);
            if (Namespace().Match(text) is not { Success: true } ns) continue;
            HashSet<string> targets = graph.TryGetValue(ns.Groups[1].Value, out var t) ? t : graph[ns.Groups[1].Value] = [];
            foreach (Match u in Using().Matches(text))
                if (u.Groups[1].Value != ns.Groups[1].Value) targets.Add(u.Groups[1].Value);
        }
        return graph.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
    }

    /// <summary>The strongly connected components with more than one member (Tarjan).</summary>
    internal static List<string[]> Cycles(Dictionary<string, string[]> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<string[]>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (string w in graph.GetValueOrDefault(v, []))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (stack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); component.Add(x); } while (x != v);
            if (component.Count > 1) cycles.Add([.. component]);
        }
        foreach (string v in graph.Keys.ToList()) if (!index.ContainsKey(v)) Visit(v);
        return cycles;
    }

    [Fact]
    public void CycleFinderFindsACycleAndPassesAChain()
    {
        Assert.Single(Cycles(new() { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"] }));
        Assert.Empty(Cycles(new() { ["a"] = ["b"], ["b"] = ["c"], ["c"] = [] }));
    }

    [Fact]
    public void ProjectReferencesFormNoCycle() => Assert.Empty(Cycles(ProjectGraph()));

    [Fact]
    public void FoldersFormNoNamespaceCycle()
    {
        List<string[]> cycles = Cycles(NamespaceGraph());
        Assert.True(cycles.Count == 0, "namespace cycles: " + string.Join("; ", cycles.Select(c => string.Join(" ↔ ", c))));
    }

    [Fact]
    public void NothingButTheTestsDependsOnTheOperatorCliOrTheHarness()
    {
        Dictionary<string, string[]> graph = ProjectGraph();
        Assert.Empty(graph.Where(kv => kv.Value.Contains("Operator.Cli") || kv.Value.Contains("harness")).Select(kv => kv.Key));
    }

    [Fact]
    public void FleetServerClosureHoldsNoTorchSharpNorTheTrainer()
    {
        Dictionary<string, string[]> graph = ProjectGraph();
        var closure = new HashSet<string>();
        var todo = new Stack<string>(["Cloud.Fleet"]);
        while (todo.TryPop(out string? p)) if (closure.Add(p)) foreach (string r in graph[p]) todo.Push(r);
        Assert.DoesNotContain("Cloud.Trainer", closure);
        string assets = File.ReadAllText(Path.Combine(Root, "src", "Cloud.Fleet", "obj", "project.assets.json"));
        // Restored libraries appear as "NAME/VERSION" keys (the central version list names every package, used or not).
        Assert.DoesNotContain("\"TorchSharp/", assets, StringComparison.Ordinal);
        Assert.DoesNotContain("\"libtorch-cpu-linux-x64/", assets, StringComparison.Ordinal);
        Assert.Contains("\"Grpc.AspNetCore/", assets, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^namespace (EdgeSkyrmion[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^using (EdgeSkyrmion[\w.]*);", RegexOptions.Multiline)]
    private static partial Regex Using();
}
