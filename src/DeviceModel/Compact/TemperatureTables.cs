namespace EdgeSkyrmion.DeviceModel.Compact;

/// <summary>
/// The state tables of one device design (n, interspace, number of states) at the temperatures it was characterized
/// at, and the rule that picks the table for a device's temperature: the nearest characterized temperature, when the
/// temperature lies within the characterized range widened by <see cref="ToleranceK"/> (half the 5 K spacing of the
/// shipped tables); outside it, an <see cref="ArgumentException"/> naming the range. The compact model is never
/// extrapolated in temperature. Only tables with the same number of states qualify, so a device's state index keeps
/// its meaning when the table changes under it.
/// </summary>
public sealed class TemperatureTables
{
    public const double ToleranceK = 2.5;

    /// <summary>Ascending in temperature.</summary>
    public IReadOnlyList<StateTable> Tables { get; }

    public double MinimumK => Tables[0].TemperatureK - ToleranceK;
    public double MaximumK => Tables[^1].TemperatureK + ToleranceK;

    public TemperatureTables(IEnumerable<StateTable> tables)
    {
        Tables = tables.OrderBy(t => t.TemperatureK).ToList();
        if (Tables.Count == 0) throw new ArgumentException("no state table to choose from.");
        if (Tables.Any(t => t.States != Tables[0].States || t.MultilayerRepeats != Tables[0].MultilayerRepeats))
            throw new ArgumentException("temperature tables must share the device design and the number of states.");
    }

    /// <summary>The shipped presets of <paramref name="table"/>'s design (it alone when it is not a shipped design).</summary>
    public static TemperatureTables ForDesign(StateTable table)
    {
        List<StateTable> family = Presets.Names.Select(Presets.Shipped)
            .Where(t => t.MultilayerRepeats == table.MultilayerRepeats && t.InterspaceDskr == table.InterspaceDskr && t.States == table.States)
            .ToList();
        if (!family.Any(t => t.TemperatureK == table.TemperatureK)) family = [table];
        return new TemperatureTables(family);
    }

    public StateTable At(double temperatureK)
    {
        if (!(temperatureK >= MinimumK && temperatureK <= MaximumK))
            throw new ArgumentException($"temperature {temperatureK} K is outside the characterized range of the n = {Tables[0].MultilayerRepeats} tables " +
                $"({string.Join(", ", Tables.Select(t => $"{t.TemperatureK} K"))}, each serving ±{ToleranceK} K): characterize a table there first.");
        StateTable best = Tables[0];
        foreach (StateTable t in Tables)
            if (Math.Abs(t.TemperatureK - temperatureK) < Math.Abs(best.TemperatureK - temperatureK)) best = t;
        return best;
    }
}
