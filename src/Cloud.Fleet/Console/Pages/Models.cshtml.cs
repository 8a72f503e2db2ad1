using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Updates;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Published versions and a comparison of two: the synapses that differ, the delta's size and its predicted programming cost.</summary>
public sealed class ModelsModel(ModelCatalog catalog) : PageModel
{
    public sealed record Row(ModelCatalog.Entry Entry, double AnnAccuracy);

    public sealed record Diff(int SynapsesChanged, long SynapsesTotal, int DeltaBytes, int FullBytes, double Pulses, double EnergyFj);

    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public IReadOnlyList<Row> Models { get; private set; } = [];
    public Diff? Comparison { get; private set; }
    public string? CompareError { get; private set; }

    public static string Key(ModelCatalog.Entry e) => $"{e.ModelId}@{e.Version}";

    public void OnGet()
    {
        Models = [.. catalog.List(null).Select(e => new Row(e, catalog.Find(e.ModelId, e.Version)?.AnnTestAccuracy ?? 0))];
        if (From is null || To is null) return;
        ModelImage? from = Parse(From), to = Parse(To);
        if (from is null || to is null)
        {
            CompareError = "Choose two published versions from the lists.";
            return;
        }
        if (ModelCatalog.Shape(from) != ModelCatalog.Shape(to) || from.PresetName != to.PresetName)
        {
            CompareError = $"{from.ModelId} v{from.Version} ({ModelCatalog.Shape(from)}, {from.PresetName}) and {to.ModelId} v{to.Version} ({ModelCatalog.Shape(to)}, {to.PresetName}) " +
                "differ in shape or preset: a device gets the whole image, not a delta.";
            return;
        }
        (List<LayerDelta> deltas, int changed, ProgrammingCost.Estimate cost) = UpdateCost.Diff(from, to);
        var delta = new Update { Kind = UpdateKind.Delta, BaseVersion = from.Version, NewVersion = to.Version, ModelId = to.ModelId, Header = DeltaEncoder.Header(to) };
        delta.Layers.Add(deltas);
        long total = to.Layers.Sum(l => (long)l.Inputs * l.Outputs);
        Comparison = new Diff(changed, total, delta.CalculateSize(), to.CalculateSize(), cost.Pulses + cost.InitializationPulses, Units.Femtojoules(cost.EnergyJ));
    }

    private ModelImage? Parse(string key)
    {
        int at = key.LastIndexOf('@');
        return at > 0 && ulong.TryParse(key[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture, out ulong v) ? catalog.Find(key[..at], v) : null;
    }
}
