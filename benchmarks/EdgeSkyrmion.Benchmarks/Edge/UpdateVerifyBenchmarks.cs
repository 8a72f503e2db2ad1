using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using EdgeSkyrmion.Edge.Updates;

namespace EdgeSkyrmion.Benchmarks.Edge;

/// <summary>
/// A device's check of an update's signature (ECDSA P-256 over a 400-byte update, the size of a 1 % delta): with the
/// trusted key imported from its DER for each check, as before, and with the key the trust keeps imported.
/// </summary>
public class UpdateVerifyBenchmarks
{
    private readonly byte[] _update = new byte[400];
    private byte[] _der = null!;
    private byte[] _signature = null!;
    private VerifyingKey _kept = null!;

    [GlobalSetup]
    public void Setup()
    {
        using ECDsa signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        new Random(1).NextBytes(_update);
        _der = signer.ExportSubjectPublicKeyInfo();
        _signature = signer.SignData(_update, HashAlgorithmName.SHA256);
        _kept = new VerifyingKey(_der);
    }

    [GlobalCleanup]
    public void Cleanup() => _kept.Dispose();

    [Benchmark(Baseline = true)]
    public bool ImportThenVerify()
    {
        using var key = new VerifyingKey(_der);
        return key.Verifies(_update, _signature);
    }

    [Benchmark]
    public bool KeptKey() => _kept.Verifies(_update, _signature);
}
