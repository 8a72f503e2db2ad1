using EdgeSkyrmion.DeviceModel.Physics;

namespace EdgeSkyrmion.DeviceModel.Micromagnetics;

/// <summary>
/// A magnet to simulate: geometry, material, the magnetization m and the effective-field terms of the paper's Eq. 4
/// (exchange, interfacial DMI, anisotropy, demag, Zeeman, optionally thermal) plus spin–orbit torque. Evaluates the
/// LLG right-hand side for the integrators; holds no integrator state itself.
/// </summary>
public sealed class Magnet : IDisposable
{
    private readonly IFieldTerm[] _terms;
    private IFieldTerm[] _hostTerms;
    private readonly string _hostFft;
    private IlgpuTorqueBackend? _ilgpu;
    private SpinOrbitTorque? _spinOrbitTorque;
    private readonly Action<int, int> _torqueRows;
    private VectorField _tm = null!, _tdmdt = null!;
    private bool _precession;

    public Magnet(Geometry geometry, MagnetMaterial material, bool demag = true, int threads = -1, long? memoryBudgetBytes = null)
    {
        Mesh = geometry.Mesh.Validated(memoryBudgetBytes ?? Mesh.DefaultMemoryBudgetBytes, demag ? DemagProvider.BytesPerPaddedCell : 0);
        if (geometry.MagneticCellCount == 0) throw new ArgumentException("geometry: no magnetic cell.");
        Warnings = material.Validate(Mesh, geometry.RegionCount);
        Geometry = geometry;
        Material = material;
        Pool = new WorkerPool(threads);
        M = new VectorField(Mesh.Count);
        Field = new VectorField(Mesh.Count);
        Zeeman = new Zeeman(geometry.Region);
        var terms = new List<IFieldTerm> { new Exchange(geometry, material, Pool), new Anisotropy(geometry, material), Zeeman };
        if (material.InterfacialDmiJPerM2 != 0) terms.Add(new Dmi(geometry, material, Pool));
        Demag = demag ? DemagProvider.Create(geometry, material, Pool) : null;
        _hostFft = demag ? DemagProvider.Current : "none";
        if (Demag is not null) terms.Add(Demag);
        _terms = [.. terms];
        _hostTerms = Demag is null ? [] : [Demag];
        _torqueRows = TorqueRows;
        SetUniform(0, 0, 1);
        if (TorqueBackends.Current != TorqueBackends.CSharp) UseIlgpu(cpuOnly: TorqueBackends.Current == TorqueBackends.IlgpuCpu);
    }

    public Mesh Mesh { get; }
    public Geometry Geometry { get; }
    public MagnetMaterial Material { get; }
    public WorkerPool Pool { get; }
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Reduced magnetization m = M/Ms (zero in empty cells).</summary>
    public VectorField M { get; }

    /// <summary>
    /// The last effective field computed, T; on the ILGPU path only the host's part (thermal, and demag where it stays on the
    /// host), and not written where the device computes every term.
    /// </summary>
    public VectorField Field { get; }

    public Zeeman Zeeman { get; }

    public IReadOnlyList<IFieldTerm> Terms => _terms;

    /// <summary>The demag term (<see cref="DemagProvider"/> says which implementation), or null for a magnet without demag.</summary>
    public IFieldTerm? Demag { get; }

    /// <summary>The spin–orbit torque, if driven; on the ILGPU path setting it uploads the layers it drives.</summary>
    public SpinOrbitTorque? SpinOrbitTorque
    {
        get => _spinOrbitTorque;
        set
        {
            _spinOrbitTorque = value;
            _ilgpu?.SetDrivenLayers(value);
        }
    }

    /// <summary>csharp (default), or the ILGPU kernel path after <see cref="UseIlgpu"/> (or built under <see cref="TorqueBackends.Use"/>).</summary>
    public string Backend => _ilgpu?.Name ?? TorqueBackends.CSharp;

    /// <summary>
    /// Moves the local terms and the torque to <see cref="IlgpuTorqueKernel"/> (CUDA where present; <paramref name="cpuOnly"/>: ILGPU's
    /// CPU accelerator). The thermal field stays on the host, and so does demag unless the device runs it
    /// (<see cref="CufftDemag"/>, on CUDA); <see cref="Field"/> then holds only the host's part.
    /// </summary>
    public void UseIlgpu(bool cpuOnly)
    {
        _ilgpu?.Dispose();
        _ilgpu = new IlgpuTorqueBackend(Geometry, Material, SpinOrbitTorque, cpuOnly, demag: Demag is not null);
        _hostTerms = Demag is null || _ilgpu.DemagOnDevice ? [] : [Demag];
    }

    /// <summary>Whose FFT the demag convolution of a torque evaluation runs on: cufft on the device, else the host's (<see cref="DemagProvider"/>).</summary>
    public string DemagFft => _ilgpu?.DemagOnDevice == true ? "cufft" : _hostFft;

    /// <summary>Why demag stays on the host although the ILGPU path runs on CUDA (null otherwise).</summary>
    public string? DeviceDemagUnavailable => _ilgpu?.DeviceDemagUnavailable;

    /// <summary>
    /// The demag field of <paramref name="m"/> where a torque evaluation computes it — added to <paramref name="field"/> on the
    /// host, or on the device and left there (waited for) — to time it apart from the rest.
    /// </summary>
    public void EvaluateDemag(VectorField m, VectorField field)
    {
        IFieldTerm demag = Demag ?? throw new InvalidOperationException("this magnet has no demag term.");
        if (_ilgpu?.DemagOnDevice == true) _ilgpu.DeviceDemag(m);
        else demag.AddField(m, 0, field);
    }

    /// <summary>
    /// Whether an integrator can keep m on the device between steps (<see cref="IlgpuHeun"/>): the ILGPU path with nothing
    /// left on the host (demag on the device or absent; the thermal field is drawn there).
    /// </summary>
    public bool CanStepOnDevice => _ilgpu is not null && !HasHostField;

    /// <summary>Whether the ILGPU path still computes part of the field on the host (demag left there).</summary>
    private bool HasHostField => _hostTerms.Length > 0;

    /// <summary>The ILGPU backend, for the device-resident integrators (null on the C# path).</summary>
    internal IlgpuTorqueBackend? Ilgpu => _ilgpu;

    /// <summary>Brown's field, present only for runs at T &gt; 0 (the Heun integrator steps its deviates).</summary>
    public ThermalField? Thermal { get; private set; }

    public void SetTemperature(double temperatureK, ulong seed) =>
        Thermal = temperatureK > 0 ? new ThermalField(Geometry.Region, Material, Mesh.CellVolumeM3, temperatureK, seed) : temperatureK == 0 ? null
            : throw new ArgumentException($"temperature must be ≥ 0 K (got {temperatureK} K).");

    public void SetUniform(double x, double y, double z) => Set((_, _, _) => (x, y, z));

    /// <summary>Sets m from a function of the cell centre (m, from the corner), normalised; empty cells stay zero.</summary>
    public void Set(Func<double, double, double, (double X, double Y, double Z)> direction)
    {
        for (int i = 0; i < Mesh.Count; i++)
        {
            int x = i % Mesh.Nx, y = i / Mesh.Nx % Mesh.Ny, z = i / (Mesh.Nx * Mesh.Ny);
            (double mx, double my, double mz) = Geometry.IsMagnetic(i)
                ? direction((x + 0.5) * Mesh.CellXM, (y + 0.5) * Mesh.CellYM, (z + 0.5) * Mesh.CellZM)
                : (0, 0, 0);
            (M.X[i], M.Y[i], M.Z[i]) = (mx, my, mz);
        }
        if (double.IsNaN(Normalize(M))) throw new ArgumentException("initial magnetization: every magnetic cell needs a nonzero, finite direction.");
    }

    /// <summary>Rescales every magnetic cell to |m| = 1 and returns the largest | |m| − 1 | it found (NaN if any).</summary>
    public double Normalize(VectorField m)
    {
        double drift = 0;
        for (int i = 0; i < m.Count; i++)
        {
            if (!Geometry.IsMagnetic(i)) continue;
            double norm = Math.Sqrt(m.X[i] * m.X[i] + m.Y[i] * m.Y[i] + m.Z[i] * m.Z[i]);
            if (!(norm > 0)) return double.NaN;
            drift = Math.Max(drift, Math.Abs(norm - 1));
            m.X[i] /= norm;
            m.Y[i] /= norm;
            m.Z[i] /= norm;
        }
        return drift;
    }

    public void EffectiveField(VectorField m, double timeS, VectorField field)
    {
        field.Clear();
        foreach (IFieldTerm term in _terms) term.AddField(m, timeS, field);
        Thermal?.AddField(m, timeS, field);
    }

    /// <summary>
    /// The energy's gradient on the sphere, g = m×(m×B) in T, into <paramref name="g"/> (for <see cref="Minimizer"/>). On
    /// the ILGPU path it comes from the device's damping-only torque, −γ/2 g (<see cref="LlgTorque.Evaluate"/>), so that a
    /// minimization runs its fields on the GPU too; the C# path computes it from <see cref="Field"/> directly.
    /// </summary>
    public void EnergyGradient(VectorField m, VectorField g)
    {
        if (_ilgpu is not null)
        {
            Torque(m, 0, g, precession: false);
            double scale = GradientPerDampingTorque;
            for (int i = 0; i < g.Count; i++)
            {
                g.X[i] *= scale;
                g.Y[i] *= scale;
                g.Z[i] *= scale;
            }
            return;
        }
        EffectiveField(m, 0, Field);
        VectorField b = Field;
        for (int i = 0; i < m.Count; i++)
        {
            double px = m.Y[i] * b.Z[i] - m.Z[i] * b.Y[i], py = m.Z[i] * b.X[i] - m.X[i] * b.Z[i], pz = m.X[i] * b.Y[i] - m.Y[i] * b.X[i];
            g.X[i] = m.Y[i] * pz - m.Z[i] * py;
            g.Y[i] = m.Z[i] * px - m.X[i] * pz;
            g.Z[i] = m.X[i] * py - m.Y[i] * px;
        }
    }

    /// <summary>g = m×(m×B), T, per rad/s of the damping-only torque −γ/2 g: how the ILGPU path turns its torque into the gradient.</summary>
    internal double GradientPerDampingTorque => -2 / Material.GyromagneticRatioRadPerST;

    /// <summary>dm/dt, rad/s, into <paramref name="dmdt"/>; <see cref="LlgTorque.Evaluate"/> says what <paramref name="precession"/> off means.</summary>
    public void Torque(VectorField m, double timeS, VectorField dmdt, bool precession = true)
    {
        if (_ilgpu is not null)
        {
            bool hostPart = HasHostField;
            if (hostPart)
            {
                Field.Clear();
                foreach (IFieldTerm term in _hostTerms) term.AddField(m, timeS, Field);
            }
            _ilgpu.Torque(m, hostPart ? Field : null, dmdt, KernelParameters(precession), Thermal);
            return;
        }
        EffectiveField(m, timeS, Field);
        (_tm, _tdmdt, _precession) = (m, dmdt, precession);
        Pool.Run(Mesh.Ny * Mesh.Nz, _torqueRows);
    }

    private void TorqueRows(int from, int to)
    {
        double gamma = Material.GyromagneticRatioRadPerST, alpha = Material.GilbertDamping;
        SpinOrbitTorque? sot = _precession ? SpinOrbitTorque : null;
        double dl = sot?.DampingLikeFieldT(Material.SaturationMagnetizationAPerM) ?? 0, fl = dl * (sot?.FieldLikeRatio ?? 0);
        (double px, double py, double pz) = sot?.Polarization ?? (0, 0, 0);
        VectorField m = _tm, b = Field, t = _tdmdt;
        for (int row = from; row < to; row++)
        {
            bool driven = sot is not null && dl != 0 && sot.Drives(row / Mesh.Ny);
            for (int i = row * Mesh.Nx, end = i + Mesh.Nx; i < end; i++)
            {
                if (!Geometry.IsMagnetic(i))
                {
                    (t.X[i], t.Y[i], t.Z[i]) = (0, 0, 0);
                    continue;
                }
                LlgTorque.Evaluate(m.X[i], m.Y[i], m.Z[i], b.X[i], b.Y[i], b.Z[i], gamma, alpha, _precession, out double tx, out double ty, out double tz);
                if (driven) SpinOrbitTorque.Add(m.X[i], m.Y[i], m.Z[i], px, py, pz, dl, fl, gamma, alpha, ref tx, ref ty, ref tz);
                (t.X[i], t.Y[i], t.Z[i]) = (tx, ty, tz);
            }
        }
    }

    internal IlgpuTorqueParameters KernelParameters(bool precession)
    {
        double ms = Material.SaturationMagnetizationAPerM, a = 2 * Material.ExchangeStiffnessJPerM / ms, d = Material.InterfacialDmiJPerM2 / ms;
        SpinOrbitTorque? sot = SpinOrbitTorque;
        double dl = sot?.DampingLikeFieldT(ms) ?? 0;
        (double px, double py, double pz) = sot?.Polarization ?? (0, 0, 0);
        return new IlgpuTorqueParameters
        {
            Nx = Mesh.Nx, Ny = Mesh.Ny, Nz = Mesh.Nz, Precession = precession ? 1 : 0, CellXM = Mesh.CellXM, CellYM = Mesh.CellYM,
            ExchangeXT = a / (Mesh.CellXM * Mesh.CellXM), ExchangeYT = a / (Mesh.CellYM * Mesh.CellYM),
            ExchangeZT = Mesh.LayersTouch ? a / (Mesh.CellZM * Mesh.CellZM) : 0, DmiXT = d / Mesh.CellXM, DmiYT = d / Mesh.CellYM,
            DmiOver2APerM = Material.ExchangeStiffnessJPerM > 0 ? Material.InterfacialDmiJPerM2 / (2 * Material.ExchangeStiffnessJPerM) : 0,
            AxisX = Material.AnisotropyAxis.X, AxisY = Material.AnisotropyAxis.Y, AxisZ = Material.AnisotropyAxis.Z,
            ZeemanXT = Zeeman.FieldT.X, ZeemanYT = Zeeman.FieldT.Y, ZeemanZT = Zeeman.FieldT.Z,
            Gamma = Material.GyromagneticRatioRadPerST, Alpha = Material.GilbertDamping,
            DampingLikeT = dl, FieldLikeT = dl * (sot?.FieldLikeRatio ?? 0), PolarizationX = px, PolarizationY = py, PolarizationZ = pz,
        };
    }

    /// <summary>Energy of each term, J, for the current m (fields recomputed).</summary>
    public IReadOnlyDictionary<string, double> EnergiesJ()
    {
        var result = new Dictionary<string, double>();
        var field = new VectorField(Mesh.Count);
        double scale = Material.SaturationMagnetizationAPerM * Mesh.CellVolumeM3;
        foreach (IFieldTerm term in _terms)
        {
            field.Clear();
            term.AddField(M, 0, field);
            double sum = 0;
            for (int i = 0; i < Mesh.Count; i++) sum += M.X[i] * field.X[i] + M.Y[i] * field.Y[i] + M.Z[i] * field.Z[i];
            result[term.Name] = -term.EnergyFactor * scale * sum;
        }
        return result;
    }

    public double EnergyJ() => EnergiesJ().Values.Sum();

    /// <summary>⟨m⟩ over the magnetic cells.</summary>
    public (double X, double Y, double Z) Average()
    {
        double x = 0, y = 0, z = 0;
        int n = 0;
        for (int i = 0; i < Mesh.Count; i++)
        {
            if (!Geometry.IsMagnetic(i)) continue;
            (x, y, z, n) = (x + M.X[i], y + M.Y[i], z + M.Z[i], n + 1);
        }
        return (x / n, y / n, z / n);
    }

    /// <summary>Largest |dm/dt| of <paramref name="dmdt"/>, rad/s.</summary>
    public static double MaxNorm(VectorField dmdt)
    {
        double max = 0;
        for (int i = 0; i < dmdt.Count; i++)
            max = Math.Max(max, dmdt.X[i] * dmdt.X[i] + dmdt.Y[i] * dmdt.Y[i] + dmdt.Z[i] * dmdt.Z[i]);
        return Math.Sqrt(max);
    }

    /// <summary>μ0 Ms: the flux density of the saturated material, T (demag fields scale with it).</summary>
    public double SaturationFluxDensityT => PhysicalConstants.Mu0TmPerA * Material.SaturationMagnetizationAPerM;

    public void Dispose()
    {
        _ilgpu?.Dispose();
        (Demag as IDisposable)?.Dispose();
        Pool.Dispose();
    }
}
