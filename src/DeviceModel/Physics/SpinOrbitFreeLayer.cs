namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// Which thickness t the damping-like torque B_DL = ħ·θ_SH·J/(2e·Ms·t) divides by. The paper's Eq. 4 names t the FM layer's
/// (1 nm of Co): <see cref="MagneticLayer"/>, what this model takes everywhere else. mumax3, which the paper ran, takes t
/// from its <c>FreeLayerThickness</c> parameter, and where a script leaves it unset (and always before v3.10, whose
/// Slonczewski kernel took the mesh's z size) from the whole mesh: the stack's 3n nm — <see cref="Mesh"/>. The paper's text does
/// not say which it ran; the two differ by 3n in the drive (12 at n = 4), so a set can be derived either way.
/// </summary>
public enum SpinOrbitFreeLayer
{
    MagneticLayer,
    Mesh,
}

public static class SpinOrbitFreeLayers
{
    /// <summary>t, m, for a stack of <paramref name="multilayerRepeats"/> repeats.</summary>
    public static double ThicknessM(this SpinOrbitFreeLayer freeLayer, Material material, int multilayerRepeats) => freeLayer switch
    {
        SpinOrbitFreeLayer.MagneticLayer => material.MagneticLayerThicknessM,
        SpinOrbitFreeLayer.Mesh => multilayerRepeats * material.RepeatThicknessM,
        _ => throw new ArgumentOutOfRangeException(nameof(freeLayer)),
    };

    /// <summary>The drive relative to the paper's Eq. 4 (the FM layer's t): t_FM / t.</summary>
    public static double DriveScale(this SpinOrbitFreeLayer freeLayer, Material material, int multilayerRepeats) =>
        material.MagneticLayerThicknessM / freeLayer.ThicknessM(material, multilayerRepeats);

    /// <summary>Parses the CLI's word for it: layer (the paper's Eq. 4) or mesh (mumax3's default).</summary>
    public static SpinOrbitFreeLayer Parse(string word) => word.ToLowerInvariant() switch
    {
        "layer" => SpinOrbitFreeLayer.MagneticLayer,
        "mesh" => SpinOrbitFreeLayer.Mesh,
        _ => throw new ArgumentException($"--sot-free-layer takes layer (the paper's Eq. 4: t = the 1 nm Co layer) or mesh (mumax3 with FreeLayerThickness unset: t = the stack's 3n nm); got '{word}'."),
    };
}
