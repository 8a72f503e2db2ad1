using EdgeSkyrmion.DeviceModel.Micromagnetics;

namespace EdgeSkyrmion.Tests.DeviceModel.Micromagnetics;

public class BackendAgreementTests
{
    /// <summary>The agreement film at 20 × 12 cells, on one thread, on the C# path or on ILGPU's CPU accelerator.</summary>
    internal static Magnet Film(bool ilgpu)
    {
        Magnet magnet = BackendAgreement.Film(20, 12, 1, threads: 1);
        if (ilgpu) magnet.UseIlgpu(cpuOnly: true);
        return magnet;
    }

    /// <summary>
    /// The agreement film without demag (which ILGPU's CPU accelerator leaves on the host) twice: on the C# path and on that
    /// accelerator with nothing on the host, so integrators and the minimizer keep m on the device; and their common start.
    /// </summary>
    private static FilmPair FilmsWithoutDemag()
    {
        Magnet host = BackendAgreement.Film(20, 12, 1, threads: 1, demag: false), device = BackendAgreement.Film(20, 12, 1, threads: 1, demag: false);
        device.UseIlgpu(cpuOnly: true);
        Assert.True(device.CanStepOnDevice);
        var start = new VectorField(host.Mesh.Count);
        start.CopyFrom(host.M);
        return new FilmPair(host, device, start);
    }

    private sealed record FilmPair(Magnet Host, Magnet Device, VectorField Start) : IDisposable
    {
        public void Dispose()
        {
            Host.Dispose();
            Device.Dispose();
        }
    }

    [Fact]
    public void IlgpuKernelAndCSharpGiveTheSameTorqueAndTrajectory()
    {
        using Magnet cs = Film(ilgpu: false), gpu = Film(ilgpu: true);
        Assert.Equal("ilgpu-cpu", gpu.Backend);
        var a = new VectorField(cs.Mesh.Count);
        var b = new VectorField(cs.Mesh.Count);
        cs.Torque(cs.M, 0, a);
        gpu.Torque(gpu.M, 0, b);
        double scale = Magnet.MaxNorm(a);
        Assert.True(scale > 1e9, "the torque is not trivially zero");
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a.X[i], b.X[i], scale * 1e-12);
            Assert.Equal(a.Y[i], b.Y[i], scale * 1e-12);
            Assert.Equal(a.Z[i], b.Z[i], scale * 1e-12);
        }
        var rkCs = new DormandPrince(cs);
        var rkGpu = new DormandPrince(gpu);
        for (int step = 0; step < 4; step++)
            Assert.Equal(rkCs.Step(), rkGpu.Step());
        Assert.Equal(rkCs.TimeS, rkGpu.TimeS, 1e-20);
        for (int i = 0; i < a.Count; i++) Assert.Equal(cs.M.Z[i], gpu.M.Z[i], 1e-9);
    }

    [Fact]
    public void TheAgreementCheckFindsTheCpuAcceleratorWithinEveryToleranceAndRefusesATooSmallFilm()
    {
        BackendAgreement.Result result = BackendAgreement.Compare(20, 12, 2, steps: 3, cpuOnly: true, threads: 1);
        Assert.Equal("ilgpu-cpu", result.Backend);
        Assert.True(result.TorqueScaleRadPerS > 1e9, "the torque is not trivially zero");
        Assert.True(result.SimulatedTimeS > 0);
        Assert.InRange(result.MaxTorqueDifferenceRelative, 0, BackendAgreement.TorqueTolerance);
        Assert.InRange(result.MaxMagnetizationDifference, 0, BackendAgreement.MagnetizationTolerance);
        Assert.InRange(result.MaxTimeStepDifferenceRelative, 0, BackendAgreement.TimeStepTolerance);
        Assert.True(result.Agrees);
        Assert.False((result with { MaxMagnetizationDifference = 2 * BackendAgreement.MagnetizationTolerance }).Agrees);
        var e = Assert.Throws<ArgumentException>(() => BackendAgreement.Compare(4, 12, 1, steps: 1, cpuOnly: true, threads: 1));
        Assert.Contains("at least 8 × 8 × 1 cells (got 4 × 12 × 1)", e.Message);
    }

    [Fact]
    public void AMinimizationOnTheIlgpuPathTakesTheCSharpPathsGradientAndDescendsAlike()
    {
        using Magnet cs = Film(ilgpu: false), gpu = Film(ilgpu: true);
        var a = new VectorField(cs.Mesh.Count);
        var b = new VectorField(cs.Mesh.Count);
        cs.EnergyGradient(cs.M, a);
        gpu.EnergyGradient(gpu.M, b);
        double scale = Magnet.MaxNorm(a);
        Assert.True(scale > 1e-2, "the gradient is not trivially zero");
        for (int i = 0; i < a.Count; i++) Assert.Equal(a.Z[i], b.Z[i], scale * 1e-12);
        // Forty Barzilai–Borwein iterations from a state far from equilibrium: the gradients differ by rounding only,
        // so both descents stay together and m moves (the torque falls) on both alike.
        Minimizer.Result onCs = new Minimizer(cs) { TorqueToleranceT = 1e-12, MaxIterations = 40 }.Minimize();
        Minimizer.Result onGpu = new Minimizer(gpu) { TorqueToleranceT = 1e-12, MaxIterations = 40 }.Minimize();
        Assert.Equal(40, onCs.Iterations);
        Assert.Equal(40, onGpu.Iterations);
        Assert.True(onCs.FinalTorqueT < scale / 2, $"the descent lowered the torque ({scale:E2} → {onCs.FinalTorqueT:E2} T)");
        Assert.Equal(onCs.FinalTorqueT, onGpu.FinalTorqueT, onCs.FinalTorqueT * 1e-6);
        double difference = 0;
        for (int i = 0; i < cs.M.Count; i++) difference = Math.Max(difference, Math.Abs(cs.M.Z[i] - gpu.M.Z[i]));
        Assert.True(difference < 1e-9, $"|Δm_z| {difference:E2} after 40 iterations");
    }

    [Fact]
    public void AMinimizationOnTheDeviceFollowsTheHostsDescentHoldsItsFrozenCellsAndRefusesANaNAsTheHostDoes()
    {
        using FilmPair films = FilmsWithoutDemag();
        (Magnet host, Magnet device, VectorField start) = films;
        var frozen = new HashSet<int> { 0, 37, 125, 239 };
        // Forty iterations: the Barzilai–Borwein sums differ by their order only, so both descents stay together.
        Minimizer.Result forty = new Minimizer(host) { TorqueToleranceT = 1e-12, MaxIterations = 40, Frozen = frozen }.Minimize();
        Minimizer.Result fortyOnDevice = new Minimizer(device) { TorqueToleranceT = 1e-12, MaxIterations = 40, Frozen = frozen }.Minimize();
        Assert.Equal(40, fortyOnDevice.Iterations);
        Assert.Equal(forty.FinalTorqueT, fortyOnDevice.FinalTorqueT, forty.FinalTorqueT * 1e-6);
        Assert.True(host.M.MaxDifference(device.M) < 1e-9, $"|Δm| {host.M.MaxDifference(device.M):E2} after 40 iterations");
        // Four hundred more (Barzilai–Borwein is not monotone: the torque need not have fallen yet), m turning far: still together, and the frozen cells never moved.
        Minimizer.Result further = new Minimizer(host) { TorqueToleranceT = 1e-12, MaxIterations = 400, Frozen = frozen }.Minimize();
        Minimizer.Result furtherOnDevice = new Minimizer(device) { TorqueToleranceT = 1e-12, MaxIterations = 400, Frozen = frozen }.Minimize();
        Assert.Equal(further.FinalTorqueT, furtherOnDevice.FinalTorqueT, further.FinalTorqueT * 1e-4);
        double moved = 0;
        for (int i = 0; i < host.M.Count; i++) moved = Math.Max(moved, Math.Abs(host.M.Z[i] - start.Z[i]));
        Assert.True(moved > 0.1, $"m moved by {moved:E2} only");
        Assert.True(host.M.MaxDifference(device.M) < 1e-8, $"|Δm| {host.M.MaxDifference(device.M):E2} after 440 iterations");
        // Frozen: unmoved but for the renormalisation's last bit, which the host does too.
        foreach (int i in frozen)
            foreach (Magnet magnet in (Magnet[])[host, device])
                Assert.True(Math.Abs(magnet.M.X[i] - start.X[i]) + Math.Abs(magnet.M.Y[i] - start.Y[i]) + Math.Abs(magnet.M.Z[i] - start.Z[i]) < 1e-15,
                    $"frozen cell {i} moved on {magnet.Backend}");

        host.M.X[17] = double.NaN;
        device.M.X[17] = double.NaN;
        foreach (Magnet magnet in (Magnet[])[host, device])
        {
            var e = Assert.Throws<DivergenceException>(() => new Minimizer(magnet) { TorqueToleranceT = 1e-12 }.Minimize());
            Assert.Contains("minimization started from a NaN gradient", e.Message);
        }
    }

    [Fact]
    public void HeunOnTheDeviceFollowsHeunOnTheHostStepForStepAndRefusesAMagnetWithAHostField()
    {
        using FilmPair films = FilmsWithoutDemag();
        (Magnet host, Magnet device, VectorField start) = films;
        var onHost = new Heun(host, 2e-14);
        using (var onDevice = new IlgpuHeun(device, 2e-14))
        {
            for (int step = 0; step < 10; step++)
            {
                onHost.Step();
                onDevice.Step();
            }
            Assert.Equal(10, onDevice.Steps);
            Assert.Equal(onHost.TimeS, onDevice.TimeS, 1e-25);
            onDevice.CopyToHost();
        }
        double moved = 0, difference = host.M.MaxDifference(device.M);
        for (int i = 0; i < host.M.Count; i++) moved = Math.Max(moved, Math.Abs(host.M.Z[i] - start.Z[i]));
        Assert.True(moved > 1e-4, $"m moved by {moved:E2} only");
        Assert.True(difference < 1e-13, $"|Δm| {difference:E2}");
        using Magnet withHostDemag = Film(ilgpu: true);
        Assert.False(withHostDemag.CanStepOnDevice);
        var e = Assert.Throws<InvalidOperationException>(() => new IlgpuHeun(withHostDemag, 2e-14));
        Assert.Contains("no field on the host", e.Message);
    }

    [Fact]
    public void HeunAtRoomTemperatureOnTheDeviceDrawsTheHostsThermalFieldAndFollowsItStepForStep()
    {
        using FilmPair films = FilmsWithoutDemag();
        (Magnet host, Magnet device, VectorField start) = films;
        using Magnet cold = BackendAgreement.Film(20, 12, 1, threads: 1, demag: false);
        host.SetTemperature(300, seed: 7);
        device.SetTemperature(300, seed: 7);
        Assert.True(device.CanStepOnDevice, "the thermal field no longer keeps m on the host");
        using HeunStepper onHost = new Heun(host, 2e-14), onDevice = HeunStepper.For(device, 2e-14), at0K = new Heun(cold, 2e-14);
        Assert.Equal("heun-on-device", onDevice.Name);
        for (int step = 0; step < 10; step++)
        {
            onHost.Step();
            onDevice.Step();
            at0K.Step();
        }
        onDevice.CopyToHost();
        Assert.Equal(10, onDevice.Steps);
        double difference = host.M.MaxDifference(device.M), thermal = host.M.MaxDifference(cold.M);
        Assert.True(thermal > 1e-4, $"300 K moved m from the 0 K run by {thermal:E2} only");
        Assert.True(difference < 1e-13, $"|Δm| {difference:E2} between the host's and the device's 300 K runs");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Rk45OnTheDeviceTakesTheHostsStepsAcceptedAndRejectedAndStopsAtANaNAsTheHostDoes(bool precession)
    {
        using FilmPair films = FilmsWithoutDemag();
        (Magnet host, Magnet device, VectorField start) = films;
        // A first step far too long for the error tolerance: rejected on both, then shrunk and grown alike.
        using DormandPrinceStepper onHost = new DormandPrince(host, precession) { TimeStepS = 1e-12 }, onDevice = DormandPrinceStepper.For(device, precession);
        onDevice.TimeStepS = 1e-12;
        Assert.Equal("rk45-on-device", onDevice.Name);
        var accepted = new List<bool>();
        for (int step = 0; step < 12; step++)
        {
            bool onHostAccepted = onHost.Step();
            Assert.Equal(onHostAccepted, onDevice.Step());
            accepted.Add(onHostAccepted);
        }
        Assert.Contains(false, accepted);
        Assert.Contains(true, accepted);
        Assert.Equal(onHost.TimeS, onDevice.TimeS, onHost.TimeS * 1e-12);
        Assert.Equal(onHost.TimeStepS, onDevice.TimeStepS, onHost.TimeStepS * 1e-12);
        onDevice.CopyToHost();
        double moved = 0, difference = host.M.MaxDifference(device.M);
        for (int i = 0; i < host.M.Count; i++) moved = Math.Max(moved, Math.Abs(host.M.Z[i] - start.Z[i]));
        Assert.True(moved > 1e-4, $"m moved by {moved:E2} only");
        Assert.True(difference < 1e-12, $"|Δm| {difference:E2}");

        // One cell's m NaN: both stop at the first step, naming the torque.
        host.M.X[17] = double.NaN;
        device.M.X[17] = double.NaN;
        using DormandPrinceStepper broken = DormandPrinceStepper.For(device, precession);
        var onDeviceNaN = Assert.Throws<DivergenceException>(() => broken.Step());
        var onHostNaN = Assert.Throws<DivergenceException>(() => new DormandPrince(host, precession).Step());
        Assert.Equal(onHostNaN.Message, onDeviceNaN.Message);
        Assert.Contains("the torque became NaN", onDeviceNaN.Message);
    }

    [Fact]
    public void AMagnetWithPartOfItsFieldOnTheHostGetsTheHostsRk45AndTheDevicesRefusesIt()
    {
        using Magnet withHostDemag = Film(ilgpu: true);
        using DormandPrinceStepper stepper = DormandPrinceStepper.For(withHostDemag);
        Assert.Equal("rk45", stepper.Name);
        var e = Assert.Throws<InvalidOperationException>(() => new IlgpuDormandPrince(withHostDemag));
        Assert.Contains("no field on the host", e.Message);
    }

    [Fact]
    public void AMagnetBuiltUnderAnIlgpuScopeRunsThereWithTheLayersASpinOrbitTorqueSetAfterwardDrives()
    {
        // The outer two of three layers driven, as the layered track's SOT is; set after the magnet (and its kernel
        // path) was built, so the device must take the driven layers then, not at its start.
        static Magnet Driven()
        {
            Magnet magnet = BackendAgreement.Film(16, 12, 3, threads: 1);
            magnet.SpinOrbitTorque = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11, DrivenLayers = new HashSet<int> { 0, 2 } };
            return magnet;
        }
        using Magnet cs = Driven();
        Magnet scoped;
        using (TorqueBackends.Use(TorqueBackends.IlgpuCpu)) scoped = Driven();
        using (scoped)
        {
            Assert.Equal("csharp", cs.Backend);
            Assert.Equal("ilgpu-cpu", scoped.Backend);
            using Magnet after = BackendAgreement.Film(8, 8, 1, threads: 1);
            Assert.Equal("csharp", after.Backend);
            var a = new VectorField(cs.Mesh.Count);
            var b = new VectorField(cs.Mesh.Count);
            cs.Torque(cs.M, 0, a);
            scoped.Torque(scoped.M, 0, b);
            double scale = Magnet.MaxNorm(a), difference = a.MaxDifference(b);
            Assert.True(difference < scale * 1e-12, $"|Δ dm/dt| {difference:E2} of {scale:E2} rad/s");
        }
        var e = Assert.Throws<ArgumentException>(() => TorqueBackends.Use("cuda"));
        Assert.Contains("unknown backend 'cuda': use csharp, ilgpu or ilgpu-cpu", e.Message);
    }

    [Fact]
    public void DampingLikeTorqueTiltsMTowardsThePolarization()
    {
        var material = new MagnetMaterial { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0] };
        var sot = new SpinOrbitTorque { CurrentDensityAPerM2 = 1e11 };
        using var magnet = new Magnet(Geometry.Filled(new Mesh(1, 1, 1, 1e-9, 1e-9, 1e-9)), material, demag: false, threads: 1) { SpinOrbitTorque = sot };
        var torque = new VectorField(1);
        magnet.Torque(magnet.M, 0, torque);
        double alpha = material.GilbertDamping, rate = material.GyromagneticRatioRadPerST * sot.DampingLikeFieldT(material.SaturationMagnetizationAPerM) / (1 + alpha * alpha);
        Assert.Equal(-alpha * rate, torque.X[0], rate * 1e-12);
        Assert.Equal(rate, torque.Y[0], rate * 1e-12);
        Assert.Equal(0, torque.Z[0], rate * 1e-12);
    }

    [Fact]
    public void AFieldLikeTorqueActsAsAFieldAlongThePolarization()
    {
        // T_FL = −γ B_FL m×p is the precession about a field B_FL p: what ξ adds to the torque equals what that field adds.
        var material = new MagnetMaterial { ExchangeStiffnessJPerM = 0, InterfacialDmiJPerM2 = 0, AnisotropyJPerM3ByRegion = [0, 0] };
        (double X, double Y, double Z) p = (0.6, 0, 0.8);
        const double xi = -0.4;
        VectorField TorqueOf(SpinOrbitTorque? sot, (double X, double Y, double Z) fieldT)
        {
            using var magnet = new Magnet(Geometry.Filled(new Mesh(3, 2, 1, 1e-9, 1e-9, 1e-9)), material, demag: false, threads: 1) { SpinOrbitTorque = sot };
            magnet.Zeeman.FieldT = fieldT;
            magnet.Set((x, y, _) => (Math.Sin(x * 1e9), Math.Cos(y * 2e9), 0.3));
            var torque = new VectorField(magnet.Mesh.Count);
            magnet.Torque(magnet.M, 0, torque);
            return torque;
        }
        var dampingLike = new SpinOrbitTorque { CurrentDensityAPerM2 = 2e11, Polarization = p };
        double fieldLikeT = xi * dampingLike.DampingLikeFieldT(material.SaturationMagnetizationAPerM);
        VectorField both = TorqueOf(new SpinOrbitTorque { CurrentDensityAPerM2 = 2e11, Polarization = p, FieldLikeRatio = xi }, (0, 0, 0)),
            dlOnly = TorqueOf(dampingLike, (0, 0, 0)),
            field = TorqueOf(null, (fieldLikeT * p.X, fieldLikeT * p.Y, fieldLikeT * p.Z));
        double scale = Magnet.MaxNorm(field);
        Assert.True(scale > 1e8, $"the field-like part is not trivially small ({scale} rad/s)");
        for (int i = 0; i < both.Count; i++)
        {
            Assert.Equal(field.X[i], both.X[i] - dlOnly.X[i], scale * 1e-12);
            Assert.Equal(field.Y[i], both.Y[i] - dlOnly.Y[i], scale * 1e-12);
            Assert.Equal(field.Z[i], both.Z[i] - dlOnly.Z[i], scale * 1e-12);
        }
    }

    [Fact]
    public void TheIlgpuKernelGivesTheCSharpPathsTorqueWithAFieldLikeTermAndATiltedPolarization()
    {
        var sot = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11, FieldLikeRatio = -0.5, Polarization = (0.6, 0.8, 0) };
        using Magnet cs = BackendAgreement.Film(20, 12, 1, threads: 1), gpu = BackendAgreement.Film(20, 12, 1, threads: 1);
        cs.SpinOrbitTorque = sot;
        gpu.SpinOrbitTorque = sot;
        gpu.UseIlgpu(cpuOnly: true);
        var a = new VectorField(cs.Mesh.Count);
        var b = new VectorField(cs.Mesh.Count);
        cs.Torque(cs.M, 0, a);
        gpu.Torque(gpu.M, 0, b);
        double scale = Magnet.MaxNorm(a);
        Assert.True(a.MaxDifference(b) <= scale * 1e-12, $"the paths differ by {a.MaxDifference(b) / scale:E2} of the torque");
        // The field-like term is in both: without it the torque moves by far more than the paths differ.
        using Magnet withoutFieldLike = BackendAgreement.Film(20, 12, 1, threads: 1);
        withoutFieldLike.SpinOrbitTorque = new SpinOrbitTorque { CurrentDensityAPerM2 = 3e11, Polarization = sot.Polarization };
        var c = new VectorField(cs.Mesh.Count);
        withoutFieldLike.Torque(withoutFieldLike.M, 0, c);
        Assert.True(a.MaxDifference(c) > scale * 1e-3, "the field-like term changes the torque");
    }
}
