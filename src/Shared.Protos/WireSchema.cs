namespace EdgeSkyrmion.Protos.V1;

/// <summary>The wire schema version every message family carries: the one place it is written (schema.proto's enum).</summary>
public static class WireSchema
{
    public const uint Current = (uint)SchemaVersion.Current;
}
