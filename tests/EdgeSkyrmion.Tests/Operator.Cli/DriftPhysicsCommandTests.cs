using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class DriftPhysicsCommandTests
{
    private const double ElectronVoltJ = 1.602176634e-19;
    private static readonly string Root = ProgramPaths.RepositoryRoot();
    private static readonly string Fit = Path.Combine(Root, "docs", "wearable-lifetime", "mml4-300K-particle-fit.json");
    private static readonly string Derivation = Path.Combine(Root, "src", "DeviceModel", "Micromagnetics", "Derivation");
    private static readonly string ShippedCrossing = Path.Combine(Derivation, "derived-crossing-mml4-cell1p5nm-lanes.json");

    [Theory]
    // The paper's 1.5 D_skr design ships the cheapest-lane saddle at 1.5 nm cells (docs/micromagnetics.md, "The cheapest lane");
    // the 30 nm gap (1.2 D_skr) its own fit shifted to its own saddle at 1.5 nm cells, measured in two runs of lanes ("A narrower gap").
    [InlineData("1.5", "mml4-300K-particle-fit.json", "derived-crossing-mml4-cell1p5nm-lanes.json", "mml4-300K", "mml4-305K", "mml4-310K", "mml4-315K")]
    [InlineData("1.2", "mml4-is1.2-300K-particle-fit.json", "derived-crossing-mml4-cell1p5nm-gap30-lanes.json,derived-crossing-mml4-cell1p5nm-gap30-lanes-more.json", "mml4-is1.2-300K", "mml4-is1.2-305K", "mml4-is1.2-310K", "mml4-is1.2-315K")]
    // The 33 nm gap (1.32 D_skr) resolves 8 states at 300 and 310 K and 7 at 305 and 315 K: two families, each with its own fit of the same hot runs.
    [InlineData("1.32", "mml4-is1.32-300K-particle-fit.json", "derived-crossing-mml4-cell1p5nm-gap33-lanes.json", "mml4-is1.32-300K", "mml4-is1.32-310K")]
    [InlineData("1.32", "mml4-is1.32-305K-particle-fit.json", "derived-crossing-mml4-cell1p5nm-gap33-lanes.json", "mml4-is1.32-305K", "mml4-is1.32-315K")]
    public void EachDesignsPresetsCarryItsKeptFitShiftedToItsCheapestLaneSaddle(string interspace, string fit, string crossings, params string[] presets)
    {
        string[] files = crossings.Split(',');
        CliProcess.Outcome o = CliProcess.Run(["device", "drift-physics", "--crossing", .. files.Select(f => Path.Combine(Derivation, f)), "--reference",
            Path.Combine(Root, "docs", "wearable-lifetime", fit), "--interspace", interspace, "--json"]);
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument result = JsonDocument.Parse(o.Stdout);
        double back = result.RootElement.GetProperty("back_activation_ev").GetDouble();
        double forward = result.RootElement.GetProperty("forward_activation_ev").GetDouble();
        foreach (string preset in presets)
        {
            using JsonDocument table = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "DeviceModel", "Presets", preset + ".json")));
            Assert.Equal(double.Parse(interspace, System.Globalization.CultureInfo.InvariantCulture), table.RootElement.GetProperty("interspace_dskr").GetDouble());
            JsonElement drift = table.RootElement.GetProperty("drift");
            Assert.Equal(back, drift.GetProperty("activation_energy_j").GetDouble() / ElectronVoltJ, 9);
            Assert.Equal(forward, drift.GetProperty("up_activation_energy_j").GetDouble() / ElectronVoltJ, 9);
            Assert.Contains($"--crossing {string.Join(' ', files)} ", drift.GetProperty("source").GetString());
        }
    }

    [Fact]
    public void CrossingPartsOfTwoMeshesAreRefusedAndNothingIsAttached()
    {
        string target = Path.Combine(Path.GetTempPath(), $"es-drift-{Guid.NewGuid():N}.json");
        File.Copy(Fit, target);
        byte[] before = File.ReadAllBytes(target);
        CliProcess.Outcome o = CliProcess.Run("device", "drift-physics", "--crossing", ShippedCrossing, Path.Combine(Derivation, "derived-crossing-mml4-cell2nm-lanes.json"),
            "--reference", Fit, "--attach", target, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("only parts of one passage on one mesh combine", o.Stderr);
        Assert.Equal(before, File.ReadAllBytes(target));
        File.Delete(target);
    }

    [Fact]
    public void ALawAlreadyShiftedIsRefusedAndNothingIsAttached()
    {
        string target = Path.Combine(Path.GetTempPath(), $"es-drift-{Guid.NewGuid():N}.json");
        File.Copy(Fit, target);
        byte[] before = File.ReadAllBytes(target);
        CliProcess.Outcome o = CliProcess.Run("device", "drift-physics", "--crossing", ShippedCrossing, "--reference", "mml4-300K", "--attach", target, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("is not the particle model's fit", o.Stderr);
        Assert.Contains("mml4-300K-particle-fit.json", o.Stderr);
        Assert.Equal(before, File.ReadAllBytes(target));
        File.Delete(target);
    }
}
