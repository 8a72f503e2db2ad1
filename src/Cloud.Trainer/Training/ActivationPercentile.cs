namespace EdgeSkyrmion.Cloud.Training;

/// <summary>The 99.9th percentile of the positive activations: a layer's scale robust to rare outliers (Rueckauer et al. 2017).</summary>
public static class ActivationPercentile
{
    public static double Of999(float[] values)
    {
        float[] positive = [.. values.Where(v => v > 0)];
        if (positive.Length == 0) return 0;
        Array.Sort(positive);
        return positive[(int)Math.Min(positive.Length - 1, Math.Floor(0.999 * (positive.Length - 1)))];
    }
}
