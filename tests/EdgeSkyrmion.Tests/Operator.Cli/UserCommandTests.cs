using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Tests.Support;

namespace EdgeSkyrmion.Tests.Personalization;

/// <summary>The real CLI, against a real fleet server, refuses bad user input with exit code 1, says what was wrong, and stores nothing.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class UserCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "eskt-usercli-" + Guid.NewGuid().ToString("N"));
    private readonly LoopbackProcesses.Running _server;
    private readonly string[] _connection;

    public UserCommandTests()
    {
        Directory.CreateDirectory(_dir);
        string db = Path.Combine(_dir, "fleet.db");
        (_server, Uri grpc, _) = LoopbackProcesses.StartServer(db);
        _connection = ["--server", grpc.ToString(), "--operator-token-file", Path.ChangeExtension(db, ".operator-token")];
        Assert.Equal(0, Cli("user", "add", "--user", "alice", "--device-id", "wrist-1").ExitCode);
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private CliProcess.Outcome Cli(params string[] args) => CliProcess.Run([.. args, .. _connection]);

    private (string Images, string Labels) Write(int count, int side, byte badLabel = 0)
    {
        (byte[] images, byte[] labels) = SyntheticDigits.Make(count, seed: 1);
        if (badLabel > 0) labels[^1] = badLabel;
        byte[] pixels = side == 28 ? images : new byte[count * side * side];
        string imagesPath = Path.Combine(_dir, $"images-{side}-{badLabel}"), labelsPath = Path.Combine(_dir, $"labels-{side}-{badLabel}");
        File.WriteAllBytes(imagesPath, [.. SyntheticDigits.Header(0x0803, count, side, side), .. pixels]);
        File.WriteAllBytes(labelsPath, SyntheticDigits.LabelsIdx(labels));
        return (imagesPath, labelsPath);
    }

    private CliProcess.Outcome Upload(string user, (string Images, string Labels) files) =>
        Cli("user", "upload", "--user", user, "--split", "train", "--images", files.Images, "--labels", files.Labels, "--json");

    private void AssertNothingStored() => Assert.Contains("\"train_samples\": 0", Cli("report", "--user", "alice", "--json").Stdout);

    [Fact]
    public void GoodUploadIsStoredAndReported()
    {
        CliProcess.Outcome ok = Upload("alice", Write(12, 28));
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("\"total\": 12", ok.Stdout);
        Assert.Contains("\"train_samples\": 12", Cli("report", "--user", "alice", "--json").Stdout);
    }

    [Fact]
    public void LabelOutOfRangeIsBadInput()
    {
        CliProcess.Outcome r = Upload("alice", Write(5, 28, badLabel: 12));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("label 12", r.Stderr);
        AssertNothingStored();
    }

    [Fact]
    public void WrongImageSizeIsBadInput()
    {
        CliProcess.Outcome r = Upload("alice", Write(5, 27));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("27×27, expected 28×28", r.Stderr);
        AssertNothingStored();
    }

    [Fact]
    public void UnknownUserIsBadInput()
    {
        CliProcess.Outcome r = Upload("bob", Write(5, 28));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown user bob", r.Stderr);
        Assert.Equal(1, Cli("report", "--user", "bob").ExitCode);
        AssertNothingStored();
    }
}
