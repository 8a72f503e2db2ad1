namespace EdgeSkyrmion.DeviceModel.Physics;

/// <summary>
/// The modified Bessel function of the second kind K₁(x), x &gt; 0, by the polynomial approximations of
/// Abramowitz &amp; Stegun (1964): 9.8.3 for I₁ (|x| ≤ 3.75), 9.8.7 for K₁ (0 &lt; x ≤ 2, |ε| &lt; 8e-9 in x·K₁)
/// and 9.8.8 (x ≥ 2, |ε| &lt; 2.2e-7 in √x·eˣ·K₁). Plain arithmetic so the ILGPU kernel can call it.
/// </summary>
public static class BesselK1
{
    public static double Evaluate(double x)
    {
        if (x <= 2.0)
        {
            double h = x / 2, h2 = h * h;
            double polynomial = 1 + h2 * (0.15443144 + h2 * (-0.67278579 + h2 * (-0.18156897 + h2 * (-0.01919402
                + h2 * (-0.00110404 + h2 * -0.00004686)))));
            return (x * Math.Log(h) * BesselI1(x) + polynomial) / x;
        }
        double t = 2 / x;
        double asymptotic = 1.25331414 + t * (0.23498619 + t * (-0.03655620 + t * (0.01504268 + t * (-0.00780353
            + t * (0.00325614 + t * -0.00068245)))));
        return asymptotic * Math.Exp(-x) / Math.Sqrt(x);
    }

    /// <summary>I₁(x) for 0 ≤ x ≤ 3.75 (A&amp;S 9.8.3, |ε| &lt; 8e-9 in I₁/x).</summary>
    public static double BesselI1(double x)
    {
        double t = x / 3.75, t2 = t * t;
        return x * (0.5 + t2 * (0.87890594 + t2 * (0.51498869 + t2 * (0.15084934 + t2 * (0.02658733
            + t2 * (0.00301532 + t2 * 0.00032411))))));
    }
}
