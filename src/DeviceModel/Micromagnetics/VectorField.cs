namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>A 3-vector per cell stored as three arrays (x, y, z components), the layout the loops and kernels stream.</summary>
public sealed class VectorField(int count)
{
    public double[] X { get; } = new double[count];
    public double[] Y { get; } = new double[count];
    public double[] Z { get; } = new double[count];

    public int Count => X.Length;

    public void Clear()
    {
        Array.Clear(X);
        Array.Clear(Y);
        Array.Clear(Z);
    }

    /// <summary>The largest difference of any component in any cell from <paramref name="other"/>'s.</summary>
    public double MaxDifference(VectorField other)
    {
        double largest = 0;
        for (int i = 0; i < Count; i++)
            largest = Math.Max(largest, Math.Max(Math.Abs(X[i] - other.X[i]), Math.Max(Math.Abs(Y[i] - other.Y[i]), Math.Abs(Z[i] - other.Z[i]))));
        return largest;
    }

    public void CopyFrom(VectorField other)
    {
        other.X.CopyTo(X, 0);
        other.Y.CopyTo(Y, 0);
        other.Z.CopyTo(Z, 0);
    }
}
