using EdgeSkyrmion.Cli;
using System.Text.Json;
using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class DeviceCommandTests
{
    [Fact]
    public void CharacterizeWritesAStateTableAndReportsItsFigures()
    {
        string path = Path.Combine(Path.GetTempPath(), $"es-device-{Guid.NewGuid():N}.json");
        CliProcess.Outcome o = CliProcess.Run("device", "characterize", "--mml", "8", "--temperature", "300", "--devices", "2", "--out", path, "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement root = json.RootElement;
        foreach (string key in new[] { "distinguishable_states", "g_min_g0", "g_max_g0", "state_means_g0", "state_sds_g0", "skyrmion_radius_nm", "energy_per_pulse_fj", "devices", "wall_seconds" })
            Assert.True(root.TryGetProperty(key, out _), key);
        Assert.Equal(22.5, root.GetProperty("skyrmion_radius_nm").GetDouble(), 1e-9);
        StateTable table = StateTable.Load(path);
        Assert.Equal(root.GetProperty("distinguishable_states").GetInt32(), table.States);
        Assert.Contains("--mml 8", table.Source);
        File.Delete(path);
    }

    [Theory]
    [InlineData("--temperature", "-1", "temperature")]
    [InlineData("--interspace", "0", "interspace")]
    [InlineData("--mml", "3", "n = 3")]
    [InlineData("--devices", "0", "--devices")]
    public void UnphysicalInputIsABadInputError(string option, string value, string named)
    {
        string path = Path.Combine(Path.GetTempPath(), $"es-device-{Guid.NewGuid():N}.json");
        CliProcess.Outcome o = CliProcess.Run("device", "characterize", option, value, "--out", path, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains(named, o.Stderr);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void InspectRefusesAPresetFileOfAnotherVersion()
    {
        string path = Path.Combine(Path.GetTempPath(), $"es-device-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Presets.Get(Presets.Default).ToJson().Replace("\"version\": 1", "\"version\": 2"));
        CliProcess.Outcome o = CliProcess.Run("device", "inspect", path, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("format version 2", o.Stderr);
        File.Delete(path);
    }
}
