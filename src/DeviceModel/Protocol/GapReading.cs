namespace EdgeSkyrmion.DeviceModel.Protocol;

/// <summary>
/// What the MTJ read during one gap, per device: mean and SD (over the reads within the gap) of the conductance in
/// units of G0, how many skyrmion centres sat in the read area, how many past the barrier (in the post-synapse
/// region) and how many were left on the track (not lost at an edge, <see cref="Physics.EdgeAnnihilation"/>) at the gap's end.
/// </summary>
public sealed record GapReading(string Label, double[] MeanG0, double[] SdG0, int[] SkyrmionsInReadArea, int[] SkyrmionsPastBarrier, int[] SkyrmionsLeft);
