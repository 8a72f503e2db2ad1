using EdgeSkyrmion.Harness.Demo;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class RetentionCommandTests
{
    [Theory]
    [InlineData("--temperatures", "1400,abc", "--temperatures: 'abc' is not a temperature > 0 K")]
    [InlineData("--temperatures", "1400,-5", "--temperatures: '-5' is not a temperature > 0 K")]
    [InlineData("--temperatures", ",", "--temperatures is empty")]
    [InlineData("--ltp-pulses", "0,2.5", "--ltp-pulses: '2.5' is not a whole number of pulses ≥ 0")]
    [InlineData("--ltp-pulses", "-1,3", "--ltp-pulses: '-1' is not a whole number of pulses ≥ 0")]
    public void ABadListIsRefusedBeforeAnyRunAndNoTableIsTouched(string option, string value, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "retention-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string table = Path.Combine(dir, "table.json");
        File.Copy(Path.Combine(ProgramPaths.RepositoryRoot(), "src", "DeviceModel", "Presets", "mml4-300K.json"), table);
        byte[] before = File.ReadAllBytes(table);
        CliProcess.Outcome o = CliProcess.Run("device", "retention", option, value, "--devices", "1", "--windows", "1", "--attach", table, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains(message, o.Stderr);
        Assert.Equal(before, File.ReadAllBytes(table));
        Directory.Delete(dir, recursive: true);
    }
}
