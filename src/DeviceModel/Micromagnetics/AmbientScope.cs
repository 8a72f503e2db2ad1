namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>A scoped choice for new magnets (<see cref="DemagProvider.Use"/>, <see cref="TorqueBackends.Use"/>): disposing it restores the choice it replaced.</summary>
internal sealed class AmbientScope(Action restore) : IDisposable
{
    public void Dispose() => restore();
}
