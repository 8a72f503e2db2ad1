using EdgeSkyrmion.Harness.Reliability;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>The tests' name for <see cref="RandomImages"/> (the product's generator, used by chaos, fuzz and load commands too).</summary>
public static class TestImages
{
    public static ModelImage Random(int[] sizes, ulong version, int seed, string modelId = "test-model") => RandomImages.Random(sizes, version, seed, modelId);

    public static ModelImage Mutated(ModelImage image, ulong version, double fraction, int seed) => RandomImages.Mutated(image, version, fraction, seed);
}
