using EdgeSkyrmion.Protos.V1;

// The wearable's entry point. Verbs arrive with the edge-runtime issue; `version` identifies the build.
if (args is ["version"] or ["--version"])
{
    Console.WriteLine($"edge {typeof(Program).Assembly.GetName().Version} wire schema v{(int)SchemaVersion.Current}");
    return 0;
}
Console.Error.WriteLine("usage: edge version");
return 1;
