using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Fleet;

/// <summary>Where a push starts an update on a stream: at the chunk the device's Hello asked for, once, and only inside the update.</summary>
public sealed class SessionResumeTests
{
    private static FleetHub.Session With(string partial, uint nextChunk) =>
        new("wrist", null!) { Hello = new Hello { DeviceId = "wrist", PartialUpdateId = partial, NextChunk = nextChunk } };

    [Fact]
    public void TheHellosChunkIsUsedOnceForItsOwnUpdate()
    {
        FleetHub.Session session = With("u1", 2);
        Assert.Equal(0, With("u0", 2).ResumeAt("u1", 4));
        Assert.Equal(2, session.ResumeAt("u1", 4));
        // A second push on the stream finds the device further on than its Hello said: it starts afresh.
        Assert.Equal(0, session.ResumeAt("u1", 4));
    }

    [Fact]
    public void AChunkPastTheEndStartsTheUpdateAfresh()
    {
        Assert.Equal(0, With("u1", 4).ResumeAt("u1", 4));
        Assert.Equal(3, With("u1", 3).ResumeAt("u1", 4));
    }
}
