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

    [Fact]
    public void AgreeAdvancesTheSameDevicesOnBothPathsReportsTheirDifferenceAndRefusesTheCSharpPathAsTheOther()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "agree", "--devices", "3", "--steps", "60", "--backend", "ilgpu-cpu", "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("ilgpu-cpu", root.GetProperty("backend").GetString());
        Assert.True(root.GetProperty("agrees").GetBoolean());
        Assert.True(root.GetProperty("largest_move_m").GetDouble() > 1e-9, "the skyrmions moved, so the comparison is not of two untouched states");
        Assert.InRange(root.GetProperty("max_position_difference_m").GetDouble(), 0, root.GetProperty("tolerance_m").GetDouble());
        Assert.Equal(3 * 20, root.GetProperty("devices").GetInt32() * root.GetProperty("skyrmions_per_device").GetInt32());
        CliProcess.Outcome csharp = CliProcess.Run("device", "agree", "--backend", "csharp", "--json");
        Assert.Equal(1, csharp.ExitCode);
        Assert.Contains("unknown backend 'csharp': use ilgpu or ilgpu-cpu", csharp.Stderr);
    }
}
