using System.Text.Json;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.DeviceModel;

public class MicromagneticsCommandTests
{
    [Fact]
    public void TheDeviceRunIsRefusedWhenItsEstimatedWallTimeExceedsTheLimit()
    {
        string csv = Path.Combine(Path.GetTempPath(), $"es-mm-track-{Guid.NewGuid():N}.csv");
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "track", "--cell-nm", "2", "--max-minutes", "0.01", "--csv", csv, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("estimated wall time", o.Stderr);
        Assert.Contains("over --max-minutes 0.01", o.Stderr);
        Assert.False(File.Exists(csv));
    }

    [Theory]
    [InlineData("--temperature", "-5", "temperature must be ≥ 0 K (got -5 K)")]
    [InlineData("--polarization", "z", "--polarization must be +y, -y, +x or -x (got \"z\")")]
    [InlineData("--backend", "cuda", "unknown backend 'cuda': use csharp, ilgpu or ilgpu-cpu")]
    public void ABadTemperaturePolarizationOrBackendIsRefusedByNameBeforeTheRunStarts(string option, string value, string message)
    {
        string csv = Path.Combine(Path.GetTempPath(), $"es-mm-track-{Guid.NewGuid():N}.csv");
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "track", option, value, "--csv", csv, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains(message, o.Stderr);
        Assert.DoesNotContain("estimated wall time", o.Stderr);
        Assert.False(File.Exists(csv));
    }

    [Fact]
    public void ValidateHoldsEveryStandardProblemWithinItsBoundAndSaysSo()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "validate", "--json");
        Assert.True(o.ExitCode == 0, o.Stdout + o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement[] checks = [.. json.RootElement.GetProperty("checks").EnumerateArray()];
        Assert.Equal(["demag-cube", "demag-prism", "demag-stack", "demag-film", "sp3-crossing", "sp4-magnum.np", "sp4-mumax3-settled", "sp4-mumax3", "sp4b-mumax3", "dmi-disk-mumax3", "dmi-disk-radius", "dmi-chain-mumax3"],
            checks.Select(c => c.GetProperty("name").GetString()));
        foreach (JsonElement c in checks)
        {
            double measured = c.GetProperty("measured").GetDouble(), bound = c.GetProperty("bound").GetDouble();
            Assert.True(measured >= 0 && measured <= bound, $"{c.GetProperty("name")}: {measured} over {bound}");
            Assert.True(c.GetProperty("passed").GetBoolean());
        }
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Contains("running DMI chain", o.Stderr);
    }

    [Theory]
    [InlineData("sp4", "--gamma-m-per-as", "0", "the gyromagnetic ratio must be > 0 m/(A·s) (got 0)")]
    [InlineData("sp4b", "--max-error-rad", "2", "the RK45 tolerance must lie in (0, 1) rad (got 2)")]
    [InlineData("sp4b", "--settle-torque-t", "0", "the S-state's settle torque must lie in (0, 0.001] T (got 0)")]
    [InlineData("sp4", "--settle-torque-t", "0.01", "the S-state's settle torque must lie in (0, 0.001] T (got 0.01)")]
    [InlineData("dmi-disk", "--gamma-m-per-as", "2.2e5", "--gamma-m-per-as, --max-error-rad and --settle-torque-t belong to sp4 and sp4b")]
    [InlineData("dmi-chain", "--settle-torque-t", "1e-5", "--gamma-m-per-as, --max-error-rad and --settle-torque-t belong to sp4 and sp4b")]
    [InlineData("dmi-chain", "--cell-nm", "2", "dmi-chain runs on mumax3's mesh, 1 nm cells: leave --cell-nm out.")]
    [InlineData("sp4", "--cells", "16", "--cells belongs to sp3 (the cube's cells an edge); the other problems take --cell-nm.")]
    [InlineData("sp3", "--cells", "65", "the cube takes 4–64 cells an edge (got 65).")]
    public void AStandardProblemsOutOfRangeOrMisplacedOptionIsRefusedByName(string problem, string option, string value, string message)
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "run", "--problem", problem, option, value, "--json");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains(message, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        Assert.Contains(message, json.RootElement.GetProperty("error").GetString());
        Assert.False(json.RootElement.TryGetProperty("final_m", out _));
    }

    [Theory]
    [InlineData("60", "a 60 nm film cannot hold the barrier profile's 44 nm distance: give a longer film")]
    [InlineData("-1", "--film-length-nm must be ≥ 0 (got -1)")]
    public void AnInteractionFilmTooShortForItsProfileIsRefusedBeforeAnyMinimization(string lengthNm, string message) =>
        AssertDeriveRefusedBeforeAnyMinimization(["--interactions", "--film-length-nm", lengthNm], message);

    [Theory]
    [InlineData("0")]
    [InlineData("-1e-5")]
    [InlineData("NaN")]
    public void ACrossingToleranceOutsideZeroToOneTeslaIsRefusedBeforeAnyMinimization(string tesla) =>
        AssertDeriveRefusedBeforeAnyMinimization(["--crossing", "gap", "--crossing-torque-t", tesla], "--crossing-torque-t must be in (0, 1) T");

    [Theory]
    [InlineData("gap", "100", "--lanes-nm must lie inside the film, between 0 and 96 nm from the edge (got 18 100)")]
    [InlineData("over", "0", "--lanes-nm must lie inside the film, between 0 and 96 nm from the edge (got 18 0)")]
    [InlineData("", "20", "--lanes-nm applies to --crossing")]
    public void ALaneOutsideTheFilmOrWithoutACrossingIsRefusedBeforeAnyMinimization(string path, string lane, string message) =>
        AssertDeriveRefusedBeforeAnyMinimization([.. path.Length > 0 ? ["--crossing", path] : Array.Empty<string>(), "--lanes-nm", "18", lane], message);

    [Fact]
    public void ACrossingFileNamesTheCommandThatReproducesItAndEachPointsLane()
    {
        string output = Path.Combine(Path.GetTempPath(), $"es-derive-{Guid.NewGuid():N}.json");
        CliProcess.Outcome o = CliProcess.Run("device", "derive", "--mml", "1", "--cell-nm", "8", "--box-nm", "64", "--crossing", "gap", "--gap-nm", "48", "--width-nm", "96",
            "--positions-nm", "0", "--lanes-nm", "20", "36", "--out", output, "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument file = JsonDocument.Parse(File.ReadAllText(output));
        File.Delete(output);
        Assert.Contains("--crossing gap --gap-nm 48 --width-nm 96 --positions-nm 0 --lanes-nm 20 36 --fft torch --backend csharp (", file.RootElement.GetProperty("source").GetString());
        JsonElement crossing = file.RootElement.GetProperty("crossings")[0];
        Assert.Equal([20.0, 36.0], crossing.GetProperty("lane_nm").EnumerateArray().Select(x => Math.Round(x.GetDouble(), 6)));
        Assert.Contains(Math.Round(crossing.GetProperty("barrier_lane_nm").GetDouble(), 6), (double[])[20.0, 36.0]);
    }

    [Fact]
    public void DeriveOnIlgpusCpuAcceleratorFindsTheCSharpPathsSkyrmionAndDriveAndNamesThePathInItsFile()
    {
        // n = 1: the minimization and the driven run (SOT, RK45) both on the chosen path; at n ≥ 2 the minimizer's
        // stopping point (max |m×B| ≤ 1e-4 T) moves with rounding, by ≈ 1e-5 of the radius.
        JsonElement Derive(string backend)
        {
            string output = Path.Combine(Path.GetTempPath(), $"es-derive-{Guid.NewGuid():N}.json");
            CliProcess.Outcome o = CliProcess.Run("device", "derive", "--mml", "1", "--cell-nm", "4", "--box-nm", "64", "--drive-ma-cm2", "30", "--threads", "1",
                "--backend", backend, "--out", output, "--json");
            Assert.True(o.ExitCode == 0, o.Stderr);
            using JsonDocument file = JsonDocument.Parse(File.ReadAllText(output));
            File.Delete(output);
            Assert.Contains($"--drive-ma-cm2 30 --fft torch --backend {backend} (", file.RootElement.GetProperty("source").GetString());
            return file.RootElement.Clone();
        }
        JsonElement cs = Derive("csharp"), ilgpu = Derive("ilgpu-cpu");
        static double Radius(JsonElement f) => f.GetProperty("skyrmions")[0].GetProperty("radius_nm").GetDouble();
        static double Speed(JsonElement f) => f.GetProperty("current_drive").GetProperty("speed_m_per_s").GetDouble();
        Assert.InRange(Radius(cs), 5, 10);
        Assert.True(Speed(cs) > 10, $"the skyrmion was driven ({Speed(cs)} m/s)");
        Assert.Equal(Radius(cs), Radius(ilgpu), Radius(cs) * 1e-9);
        Assert.Equal(Speed(cs), Speed(ilgpu), Speed(cs) * 1e-9);
    }

    [Fact]
    public void TheStandardProblemsRunOnIlgpusCpuAcceleratorAsOnTheCSharpPath()
    {
        JsonElement Run(string backend, params string[] args)
        {
            CliProcess.Outcome o = CliProcess.Run(["device", "mm", "run", .. args, "--backend", backend, "--json"]);
            Assert.True(o.ExitCode == 0, o.Stderr);
            using JsonDocument json = JsonDocument.Parse(o.Stdout);
            Assert.Equal(backend, json.RootElement.GetProperty("backend").GetString());
            return json.RootElement.Clone();
        }
        // µMAG 4 on 32 × 8 cells: the same RK45 steps on both paths, ⟨m⟩ after the switch to rounding.
        JsonElement sp4 = Run("csharp", "--problem", "sp4", "--cell-nm", "15.625"), sp4Ilgpu = Run("ilgpu-cpu", "--problem", "sp4", "--cell-nm", "15.625");
        Assert.Equal(sp4.GetProperty("accepted_steps").GetInt64(), sp4Ilgpu.GetProperty("accepted_steps").GetInt64());
        double[] final = [.. sp4.GetProperty("final_m").EnumerateArray().Select(x => x.GetDouble())];
        double[] finalIlgpu = [.. sp4Ilgpu.GetProperty("final_m").EnumerateArray().Select(x => x.GetDouble())];
        Assert.True(final[0] < -0.9, $"⟨mx⟩ switched ({final[0]})");
        for (int c = 0; c < 3; c++) Assert.Equal(final[c], finalIlgpu[c], 1e-9);
        // The DMI disk by minimization (on the ILGPU path through the device's gradient): the same skyrmion to the
        // minimizer's stopping point, both beside the reference's 22.03 nm.
        double radius = Run("csharp", "--problem", "dmi-disk").GetProperty("radius_nm").GetDouble();
        double radiusIlgpu = Run("ilgpu-cpu", "--problem", "dmi-disk").GetProperty("radius_nm").GetDouble();
        Assert.Equal(radius, radiusIlgpu, 0.01);
        Assert.InRange(radiusIlgpu, 21.9, 22.2);
    }

    [Fact]
    public void DeriveRefusesAnUnknownBackendBeforeAnyMinimization() =>
        AssertDeriveRefusedBeforeAnyMinimization(["--backend", "cuda"], "unknown backend 'cuda': use csharp, ilgpu or ilgpu-cpu");

    /// <summary>`device derive --mml 1 ARGS` exits 1 naming the fault, before the isolated skyrmion's minimization and without writing its file.</summary>
    [Fact]
    public void ADivergingRunExitsOneNamingTheDriftAndTheStepAndWritesNoParameterFile()
    {
        // A 9 ps Heun step is far beyond what the 300 K stack's fields allow: |m| leaves 1 in the first step.
        string output = Path.Combine(Path.GetTempPath(), $"es-derive-{Guid.NewGuid():N}.json");
        CliProcess.Outcome o = CliProcess.Run("device", "derive", "--mml", "1", "--temperature", "300", "--heun-step-ps", "9", "--box-nm", "32",
            "--breathing-ns", "0.1", "--out", output, "--json");
        Assert.Equal(1, o.ExitCode);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        string error = json.RootElement.GetProperty("error").GetString()!;
        Assert.StartsWith("the run diverged: |m| drifted by", error);
        Assert.Contains("in one Heun step of 9.00E-012 s", error);
        Assert.Contains("use a shorter step", error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AFilmOverTheMemoryBudgetIsRefusedWithItsEstimateBeforeAnyStep()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "bench", "--nx", "8192", "--ny", "8192", "--json");
        Assert.Equal(1, o.ExitCode);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        string error = json.RootElement.GetProperty("error").GetString()!;
        Assert.Matches(@"^mesh: 8192 × 8192 × 1 cells needs ≈ \d+ MiB, over the \d+ MiB budget; use fewer or larger cells\.$", error);
        Assert.False(json.RootElement.TryGetProperty("cell_steps_per_second", out _));
    }

    private static void AssertDeriveRefusedBeforeAnyMinimization(string[] args, string message)
    {
        string output = Path.Combine(Path.GetTempPath(), $"es-derive-{Guid.NewGuid():N}.json");
        CliProcess.Outcome o = CliProcess.Run(["device", "derive", "--mml", "1", .. args, "--out", output, "--json"]);
        Assert.Equal(1, o.ExitCode);
        Assert.Contains(message, o.Stderr);
        Assert.DoesNotContain("minimizing an isolated skyrmion", o.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void BenchSplitsATorqueEvaluationIntoDemagAndTheRest()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "bench", "--nx", "32", "--ny", "32", "--steps", "2", "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement root = json.RootElement;
        double torque = root.GetProperty("torque_evaluation_ms").GetDouble(), demag = root.GetProperty("demag_ms").GetDouble();
        Assert.True(torque > 0 && demag > 0, $"torque {torque} ms, demag {demag} ms");
        Assert.Equal(torque - demag, root.GetProperty("local_ms").GetDouble(), 1e-9);
        Assert.Equal(demag / torque, root.GetProperty("demag_fraction").GetDouble(), 1e-9);
        Assert.Equal("torch", root.GetProperty("fft").GetString());
        Assert.Equal("paper", root.GetProperty("film").GetString());
        Assert.Equal("rk45", root.GetProperty("integrator").GetString());
        double seconds = root.GetProperty("wall_seconds").GetDouble(), evaluationsPerSecond = root.GetProperty("torque_evaluations_per_second").GetDouble();
        Assert.Equal(6 * 2, evaluationsPerSecond * seconds, 1e-6);
        Assert.Equal(32 * 32 * evaluationsPerSecond, root.GetProperty("cell_evaluations_per_second").GetDouble(), 1e-6);
    }

    [Fact]
    public void BenchRunsMumax3sBenchmarkFilmWithHeunInItsThroughputMeasureAndRefusesAnUnknownFilm()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "bench", "--film", "mumax3", "--nx", "32", "--ny", "16", "--steps", "3", "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("mumax3", root.GetProperty("film").GetString());
        Assert.Equal("heun", root.GetProperty("integrator").GetString());
        Assert.Equal(4, root.GetProperty("cell_size_nm").GetDouble(), 1e-9);
        double seconds = root.GetProperty("wall_seconds").GetDouble(), evaluationsPerSecond = root.GetProperty("torque_evaluations_per_second").GetDouble();
        Assert.Equal(2 * 3, evaluationsPerSecond * seconds, 1e-6);
        Assert.Equal(32 * 16 * evaluationsPerSecond, root.GetProperty("cell_evaluations_per_second").GetDouble(), 1e-6);
        Assert.Equal(32 * 16 * 3 / seconds, root.GetProperty("cell_steps_per_second").GetDouble(), 1e-6);
        CliProcess.Outcome unknown = CliProcess.Run("device", "mm", "bench", "--film", "oommf", "--json");
        Assert.Equal(1, unknown.ExitCode);
        using JsonDocument error = JsonDocument.Parse(unknown.Stdout);
        Assert.Contains("unknown --film 'oommf': use paper or mumax3", error.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void BenchRunsDemagOnTheFftAskedForAndRefusesAnUnknownOne()
    {
        CliProcess.Outcome mathNet = CliProcess.Run("device", "mm", "bench", "--nx", "16", "--ny", "16", "--steps", "1", "--fft", "mathnet", "--json");
        Assert.True(mathNet.ExitCode == 0, mathNet.Stderr);
        using JsonDocument json = JsonDocument.Parse(mathNet.Stdout);
        Assert.Equal("mathnet", json.RootElement.GetProperty("fft").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("allocated_bytes_per_step").GetInt64());
        CliProcess.Outcome unknown = CliProcess.Run("device", "mm", "bench", "--fft", "fftw", "--json");
        Assert.Equal(1, unknown.ExitCode);
        using JsonDocument error = JsonDocument.Parse(unknown.Stdout);
        Assert.Contains("unknown demag FFT 'fftw': use torch or mathnet", error.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void AgreeRunsBothPathsOnOneFilmReportsTheirDifferencesAndRefusesAnUnknownBackend()
    {
        CliProcess.Outcome o = CliProcess.Run("device", "mm", "agree", "--backend", "ilgpu-cpu", "--nx", "16", "--ny", "12", "--steps", "2", "--threads", "1", "--json");
        Assert.True(o.ExitCode == 0, o.Stderr);
        using JsonDocument json = JsonDocument.Parse(o.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal("ilgpu-cpu", root.GetProperty("backend").GetString());
        // ILGPU's CPU accelerator leaves demag on the host, so its side steps with the host's stages.
        Assert.Equal("rk45", root.GetProperty("backend_integrator").GetString());
        Assert.True(root.GetProperty("agrees").GetBoolean());
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        Assert.True(root.GetProperty("torque_scale_rad_per_s").GetDouble() > 1e9);
        Assert.True(root.GetProperty("simulated_time_s").GetDouble() > 0);
        Assert.InRange(root.GetProperty("max_magnetization_difference").GetDouble(), 0, root.GetProperty("magnetization_tolerance").GetDouble());
        CliProcess.Outcome unknown = CliProcess.Run("device", "mm", "agree", "--backend", "csharp", "--json");
        Assert.Equal(1, unknown.ExitCode);
        using JsonDocument error = JsonDocument.Parse(unknown.Stdout);
        Assert.Contains("unknown backend 'csharp': use ilgpu or ilgpu-cpu", error.RootElement.GetProperty("error").GetString());
    }
}
