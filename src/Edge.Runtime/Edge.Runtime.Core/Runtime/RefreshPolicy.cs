using EdgeSkyrmion.DeviceModel.Compact;
using EdgeSkyrmion.Edge.Crossbar;
using EdgeSkyrmion.Edge.Energy;

namespace EdgeSkyrmion.Edge.Runtime;

/// <summary>
/// Keeps a drifting crossbar near its image within an energy budget: devices are re-verified (and, when off target,
/// re-programmed by write-verify) in order of their effect on accuracy — the output layer first (each of its synapses
/// moves a class score directly, and it has the fewest), then earlier layers; within a layer, devices whose target
/// state leaves fastest under the drift law first — resuming each session where the last stopped. A device is checked
/// with one averaged read first (<see cref="DeviceArray.ReadsClearlyAs"/>): almost every device still holds its state,
/// and one whose read lies clearly inside its target's window needs no confirming second average; the rest, and devices
/// write-verify gave up on before, go through write-verify. Before touching a device the policy reserves its worst case
/// (the check, the verify reads, then <see cref="ProgrammingOptions.MaxPulsesPerDevice"/> pulses each with its verify
/// reads, plus an initialization pulse), so a session never spends more than its budget.
/// </summary>
public sealed class RefreshPolicy
{
    private readonly int[] _order;
    private readonly byte[] _targets;
    private readonly ProgrammingOptions _options;
    private int _cursor;

    /// <summary>Where in its order the next session starts (a session resumes where the last stopped).</summary>
    public int Cursor
    {
        get => _cursor;
        init => _cursor = value >= 0 && value < _order.Length ? value
            : throw new ArgumentOutOfRangeException(nameof(Cursor), value, $"the refresh order has {_order.Length} devices.");
    }

    /// <summary>
    /// What a session did. <see cref="DevicesReprogrammedOnTarget"/> counts devices that still held their target state and
    /// were pulsed only because a read said otherwise (read noise near a state boundary, or a fabrication offset that reads
    /// differently on this temperature's table): write-verify moves them away and back, so they are not drift.
    /// </summary>
    public sealed record Session(int DevicesChecked, int DevicesReprogrammed, int DevicesReprogrammedOnTarget, int DevicesFailed, EnergyTally Spent, bool BudgetExhausted);

    public RefreshPolicy(CrossbarLayout layout, byte[] targets, DriftLaw? law, double temperatureK, ProgrammingOptions options)
    {
        if (targets.Length != layout.DeviceCount) throw new ArgumentException($"{targets.Length} targets for {layout.DeviceCount} devices.");
        _targets = targets;
        _options = options;
        var leaveRate = new double[256];
        for (int s = 0; law is not null && s < law.DownRatesPerS.Length; s++) leaveRate[s] = law.DownRatePerS(s, temperatureK) + law.UpRatePerS(s, temperatureK);
        // Layers from the last; within one, a pass over its devices per distinct leave rate, fastest first, so the devices
        // of equal rate keep their index order. The order is the only array built: sorting 4.79 M keys held ≈ 200 MB.
        double[] rates = [.. leaveRate.Distinct().OrderDescending()];
        var layerStart = new int[layout.Layers.Count + 1];
        for (int l = 0; l < layout.Layers.Count; l++) layerStart[l + 1] = layerStart[l] + 2 * layout.Layers[l].Inputs * layout.Layers[l].Outputs;
        _order = new int[targets.Length];
        int next = 0;
        for (int l = layout.Layers.Count - 1; l >= 0; l--)
            foreach (double rate in rates)
                for (int d = layerStart[l]; d < layerStart[l + 1]; d++)
                    if (leaveRate[targets[d]] == rate) _order[next++] = d;
    }

    /// <summary>The devices in the order sessions check them.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>The worst-case energy of checking and re-programming one device, J.</summary>
    public static double WorstCaseJ(StateTable table, ProgrammingOptions options) =>
        table.InitializationPulseEnergyJ + options.MaxPulsesPerDevice * table.PulseEnergyJ
        + (options.MaxPulsesPerDevice + 3) * options.ReadsPerVerify * table.ReadEnergyJ;

    /// <summary>One refresh session on <paramref name="devices"/> after <paramref name="idleS"/> without programming.</summary>
    public Session Run(DeviceArray devices, double budgetJ, double idleS)
    {
        if (!(budgetJ >= 0)) throw new ArgumentOutOfRangeException(nameof(budgetJ), budgetJ, "a refresh budget must be ≥ 0 J.");
        EnergyTally start = devices.Ledger.Snapshot();
        double reserve = WorstCaseJ(devices.Table, _options);
        devices.BeginProgrammingSession(idleS);
        int checkedCount = 0, reprogrammed = 0, onTarget = 0, failed = 0;
        bool exhausted = false;
        while (checkedCount < _order.Length)
        {
            if ((devices.Ledger.Snapshot() - start).TotalEnergyJ + reserve > budgetJ)
            {
                exhausted = true;
                break;
            }
            int d = _order[_cursor];
            _cursor = (_cursor + 1) % _order.Length;
            checkedCount++;
            if (!devices.IsFailed(d) && devices.ReadsClearlyAs(d, _targets[d], _options.ReadsPerVerify)) continue;
            bool heldTarget = devices.State(d) == _targets[d];
            ProgramOutcome outcome = devices.Program(d, _targets[d], _options.MaxPulsesPerDevice, _options.ReadsPerVerify);
            if (outcome.Pulses > 0)
            {
                reprogrammed++;
                if (heldTarget) onTarget++;
            }
            if (!outcome.Verified) failed++;
        }
        return new Session(checkedCount, reprogrammed, onTarget, failed, devices.Ledger.Snapshot() - start, exhausted);
    }
}
