using System.Text.Json;
using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class DriftPhysicsCommandTests
{
    private const double ElectronVoltJ = 1.602176634e-19;
    private static readonly string Root = ProgramPaths.RepositoryRoot();
    private static readonly string Fit = Path.Combine(Root, "docs", "wearable-lifetime", "mml4-300K-particle-fit.json");
    // The law the presets ship: the cheapest-lane saddle at 1.5 nm cells (docs/micromagnetics.md, "The cheapest lane").
    private static readonly string ShippedCrossing = Path.Combine(Root, "src", "DeviceModel", "Micromagnetics", "Derivation", "derived-crossing-mml4-cell1p5nm-lanes.json");

    [Fact]
    public void TheMml4PresetsCarryTheKeptFitShiftedToTheCheapestLaneSaddleAt1p5nmCells()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "drift-physics", "--crossing", ShippedCrossing, "--reference", Fit, "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument result = JsonDocument.Parse(o.Stdout);
        double back = result.RootElement.GetProperty("back_activation_ev").GetDouble();
        double forward = result.RootElement.GetProperty("forward_activation_ev").GetDouble();
        foreach (string preset in (string[])["mml4-300K", "mml4-305K", "mml4-310K", "mml4-315K"])
        {
            using JsonDocument table = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "DeviceModel", "Presets", preset + ".json")));
            JsonElement drift = table.RootElement.GetProperty("drift");
            Assert.Equal(back, drift.GetProperty("activation_energy_j").GetDouble() / ElectronVoltJ, 9);
            Assert.Equal(forward, drift.GetProperty("up_activation_energy_j").GetDouble() / ElectronVoltJ, 9);
            Assert.Contains("derived-crossing-mml4-cell1p5nm-lanes.json", drift.GetProperty("source").GetString());
        }
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
