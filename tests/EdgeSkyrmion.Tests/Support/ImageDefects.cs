using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Tests.Support;

/// <summary>
/// One defect per rule of <c>ModelImageFile.Validate</c>, keyed by the text naming the offending field that the
/// refusal must contain. Each works on any quantized image of two or more layers.
/// </summary>
public static class ImageDefects
{
    public static readonly Dictionary<string, Action<ModelImage>> All = new()
    {
        ["schema_version 7"] = i => i.SchemaVersion = 7,
        ["layers is empty"] = i => i.Layers.Clear(),
        ["levels 4 must be odd"] = i => i.Levels = 4,
        ["timestep_s 0 must be positive"] = i => i.TimestepS = 0,
        ["membrane_time_constant_s -1 must be positive"] = i => i.MembraneTimeConstantS = -1,
        ["max_input_rate_hz 0 must be positive"] = i => i.MaxInputRateHz = 0,
        ["state_means_g0 holds a non-finite value"] = i => i.StateMeansG0[1] = double.NaN,
        ["layers[0].inputs 0"] = i => i.Layers[0].Inputs = 0,
        ["layers[1].inputs"] = i => i.Layers[1].Inputs += 1,
        ["layers[0].threshold 0 must be positive"] = i => i.Layers[0].Threshold = 0,
        ["input_encoding 7 is not an encoding"] = i => i.InputEncoding = (InputEncoding)7,
        ["layers[1].initial_potential 1.5 must be a fraction"] = i => i.Layers[1].InitialPotential = 1.5f,
        ["layers[1].weight_per_g0 must be finite"] = i => i.Layers[1].WeightPerG0 = float.NaN,
        ["layers[0].plus_states has 10 states"] = i => i.Layers[0].PlusStates = ByteString.CopyFrom(new byte[10]),
        ["layers[1].minus_states has 3 states"] = i => i.Layers[1].MinusStates = ByteString.CopyFrom(new byte[3]),
        ["layers[1].minus_states uses a state index beyond"] = i => i.Layers[1].MinusStates =
            ByteString.CopyFrom(Enumerable.Repeat((byte)(i.StateMeansG0.Count + 2), i.Layers[1].MinusStates.Length).ToArray()),
    };

    /// <summary>The defects a delta's image header can carry (the states come from the device; the shape is checked first).</summary>
    public static readonly string[] InHeader =
    [
        "schema_version 7", "levels 4 must be odd", "timestep_s 0 must be positive", "membrane_time_constant_s -1 must be positive",
        "max_input_rate_hz 0 must be positive", "state_means_g0 holds a non-finite value", "layers[0].threshold 0 must be positive",
        "layers[1].weight_per_g0 must be finite",
    ];
}
