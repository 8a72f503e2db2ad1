namespace EdgeSkyrmion.DeviceModel.Protocol;

/// <summary>Direction of a programming current pulse: +x drives skyrmions into the post-synapse region (LTP), −x out (LTD).</summary>
public enum PulseDirection
{
    Ltp = 1,
    Ltd = -1,
}
