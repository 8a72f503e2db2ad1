using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.Edge.Crossbar;

/// <summary>
/// Ages idle devices by a <see cref="DriftLaw"/>: each device is a continuous-time Markov chain over its states (one
/// step down at the law's down rate, one up at its up rate, at the given temperature). Over an idle of any length the
/// chain's transition matrix P = exp(Q·t) is computed once (scaling and squaring; idles at several temperatures
/// compose by matrix product), and each device draws its end state from its row with one uniform keyed by
/// (seed, device): exact for hours as for nanoseconds, O(1) per device, the same for a seed whatever the order.
/// </summary>
public static class DeviceAging
{
    /// <summary>Ages every device by <paramref name="durationS"/>; returns how many devices ended in another state.</summary>
    public static int Age(DeviceArray devices, DriftLaw law, double durationS, double temperatureK, ulong seed) =>
        Apply(devices, Transitions(law, devices.Table.States, durationS, temperatureK), seed);

    /// <summary>
    /// Moves every device to a state drawn from its row of the transition matrix <paramref name="transitions"/> (one
    /// idle, or several composed with <see cref="Then"/>); returns how many devices ended in another state.
    /// </summary>
    public static int Apply(DeviceArray devices, double[,] transitions, ulong seed)
    {
        int states = devices.Table.States, moved = 0;
        if (transitions.GetLength(0) != states) throw new ArgumentException($"transitions for {transitions.GetLength(0)} states, the devices have {states}.");
        var cumulative = new double[states, states];
        for (int i = 0; i < states; i++)
        {
            double running = 0;
            for (int j = 0; j < states; j++) cumulative[i, j] = running += transitions[i, j];
        }
        for (int d = 0; d < devices.Count; d++)
        {
            int from = devices.State(d), to = 0;
            double u = CounterRng.Uniform(CounterRng.Mix(CounterRng.Key(seed, d, 0, 0, AgingStream))) * cumulative[from, states - 1];
            while (to < states - 1 && u >= cumulative[from, to]) to++;
            if (to == from) continue;
            devices.Drift(d, to);
            moved++;
        }
        return moved;
    }

    /// <summary>The idle <paramref name="first"/> followed by <paramref name="second"/>: the product of their transition matrices.</summary>
    public static double[,] Then(double[,] first, double[,] second) => Multiply(first, second, 1);

    /// <summary>No idle: the identity.</summary>
    public static double[,] None(int states) => Identity(states);

    /// <summary>P = exp(Q·t) for the birth–death generator Q of the law at <paramref name="temperatureK"/>.</summary>
    public static double[,] Transitions(DriftLaw law, int states, double durationS, double temperatureK)
    {
        if (!(durationS >= 0) || double.IsInfinity(durationS)) throw new ArgumentOutOfRangeException(nameof(durationS), durationS, "must be a finite time ≥ 0 s.");
        var q = new double[states, states];
        double norm = 0;
        for (int s = 0; s < states; s++)
        {
            double down = s > 0 ? law.DownRatePerS(s, temperatureK) : 0, up = s < states - 1 ? law.UpRatePerS(s, temperatureK) : 0;
            if (s > 0) q[s, s - 1] = down * durationS;
            if (s < states - 1) q[s, s + 1] = up * durationS;
            q[s, s] = -(down + up) * durationS;
            norm = Math.Max(norm, 2 * (down + up) * durationS);
        }
        // Scaling and squaring: a 16-term Taylor series of exp(Q·t/2^k) with ‖Q·t/2^k‖ ≤ 0.5, squared k times.
        int squarings = norm > 0.5 ? (int)Math.Ceiling(Math.Log2(norm / 0.5)) : 0;
        double scale = Math.Pow(2, -squarings);
        double[,] p = Identity(states), term = Identity(states);
        for (int k = 1; k <= 16; k++)
        {
            term = Multiply(term, q, scale / k);
            for (int i = 0; i < states; i++)
                for (int j = 0; j < states; j++) p[i, j] += term[i, j];
        }
        for (int i = 0; i < squarings; i++) p = Multiply(p, p, 1);
        for (int i = 0; i < states; i++)
            for (int j = 0; j < states; j++) p[i, j] = Math.Max(0, p[i, j]); // round-off below zero
        return p;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    private static double[,] Multiply(double[,] a, double[,] b, double factor)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < n; k++)
                for (int j = 0; j < n; j++) c[i, j] += a[i, k] * b[k, j] * factor;
        return c;
    }

    private const int AgingStream = 3;
}
