namespace EdgeSkyrmion.DeviceModel.Protocol;

/// <summary>
/// What the MTJ read during one gap, per device: mean and SD (over the reads within the gap) of the conductance in
/// units of G0, how many skyrmion centres sat in the read area and how many past the barrier (in the post-synapse
/// region) at the gap's end.
/// </summary>
public sealed record GapReading(string Label, double[] MeanG0, double[] SdG0, int[] SkyrmionsInReadArea, int[] SkyrmionsPastBarrier);
