namespace EdgeSkyrmion.DeviceModel.Micromagnetics.Problems;

/// <summary>
/// The analytic demagnetizing factors beside the convolution's: a uniformly magnetized body's body-averaged factor along
/// an axis, −⟨B⟩·m̂ / (μ0 Ms), against 1/3 for a cube and Aharoni's closed form for a rectangular prism
/// (J. Appl. Phys. 83, 3432 (1998), Eq. (1)). Runs on the demag the current <see cref="DemagFfts"/> scope names.
/// </summary>
public static class DemagFactors
{
    private static readonly MagnetMaterial Plain = new() { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0] };

    /// <summary>The body-averaged factors along x, y and z of a body filling <paramref name="mesh"/>.</summary>
    public static (double X, double Y, double Z) Measure(Mesh mesh, int threads = 1)
    {
        using var magnet = new Magnet(Geometry.Filled(mesh), Plain, threads: threads);
        IFieldTerm demag = magnet.Terms.Single(t => t.Name == "demag");
        var field = new VectorField(mesh.Count);
        double Along(double x, double y, double z)
        {
            magnet.SetUniform(x, y, z);
            field.Clear();
            demag.AddField(magnet.M, 0, field);
            double sum = 0;
            for (int i = 0; i < mesh.Count; i++) sum += x * field.X[i] + y * field.Y[i] + z * field.Z[i];
            return -sum / mesh.Count / magnet.SaturationFluxDensityT;
        }
        return (Along(1, 0, 0), Along(0, 1, 0), Along(0, 0, 1));
    }

    /// <summary>
    /// The body-averaged factors of two equal layers <paramref name="layer"/> thick, <paramref name="gap"/> apart (a stack with
    /// its spacer), from prisms alone: with E(P) = (μ0/2) Ms² N(P) V(P) for each prism of the footprint, the layers' mutual
    /// energy is 2E_AB = E(A∪S∪B) − E(A∪S) − E(S∪B) + E(S) (S the spacer), so
    /// N = [2t N(t) + (2t + g) N(2t + g) − 2(t + g) N(t + g) + g N(g)] / 2t along each axis.
    /// </summary>
    public static (double X, double Y, double Z) AharoniLayerPair(double sideX, double sideY, double layer, double gap)
    {
        if (!(layer > 0 && gap > 0)) throw new ArgumentException($"the layers and the spacer need a thickness > 0 (got {layer} and {gap}).");
        var (one, all, layerAndSpacer, spacer) =
            (Aharoni(sideX, sideY, layer), Aharoni(sideX, sideY, 2 * layer + gap), Aharoni(sideX, sideY, layer + gap), Aharoni(sideX, sideY, gap));
        double Pair(double nOne, double nAll, double nLayerAndSpacer, double nSpacer) =>
            (2 * layer * nOne + (2 * layer + gap) * nAll - 2 * (layer + gap) * nLayerAndSpacer + gap * nSpacer) / (2 * layer);
        return (Pair(one.X, all.X, layerAndSpacer.X, spacer.X), Pair(one.Y, all.Y, layerAndSpacer.Y, spacer.Y), Pair(one.Z, all.Z, layerAndSpacer.Z, spacer.Z));
    }

    /// <summary>Aharoni's factors along x, y and z of a prism with full sides <paramref name="sideX"/> × <paramref name="sideY"/> × <paramref name="sideZ"/>: N_z with each axis taken as z in turn.</summary>
    public static (double X, double Y, double Z) Aharoni(double sideX, double sideY, double sideZ) =>
        (AharoniZ(sideZ, sideY, sideX), AharoniZ(sideX, sideZ, sideY), AharoniZ(sideX, sideY, sideZ));

    /// <summary>The largest |ΔN| of the three axes between <paramref name="measured"/> and <paramref name="exact"/>.</summary>
    public static double LargestDifference((double X, double Y, double Z) measured, (double X, double Y, double Z) exact) =>
        Math.Max(Math.Abs(measured.X - exact.X), Math.Max(Math.Abs(measured.Y - exact.Y), Math.Abs(measured.Z - exact.Z)));

    /// <summary>Aharoni's N_z of a prism with full sides <paramref name="sideX"/> × <paramref name="sideY"/> × <paramref name="sideZ"/> (any unit).</summary>
    public static double AharoniZ(double sideX, double sideY, double sideZ)
    {
        double a = sideX / 2, b = sideY / 2, c = sideZ / 2;
        double abc = Math.Sqrt(a * a + b * b + c * c), ab = Math.Sqrt(a * a + b * b), bc = Math.Sqrt(b * b + c * c), ac = Math.Sqrt(a * a + c * c);
        double pi = (b * b - c * c) / (2 * b * c) * Math.Log((abc - a) / (abc + a))
            + (a * a - c * c) / (2 * a * c) * Math.Log((abc - b) / (abc + b))
            + b / (2 * c) * Math.Log((ab + a) / (ab - a))
            + a / (2 * c) * Math.Log((ab + b) / (ab - b))
            + c / (2 * a) * Math.Log((bc - b) / (bc + b))
            + c / (2 * b) * Math.Log((ac - a) / (ac + a))
            + 2 * Math.Atan(a * b / (c * abc))
            + (a * a * a + b * b * b - 2 * c * c * c) / (3 * a * b * c)
            + (a * a + b * b - 2 * c * c) / (3 * a * b * c) * abc
            + c / (a * b) * (ac + bc)
            - (Math.Pow(ab, 3) + Math.Pow(bc, 3) + Math.Pow(ac, 3)) / (3 * a * b * c);
        return pi / Math.PI;
    }
}
