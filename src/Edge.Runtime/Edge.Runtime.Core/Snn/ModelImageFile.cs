using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

namespace EdgeSkyrmion.Edge.Snn;

/// <summary>
/// The converted network on disk and on the wire: a file holds exactly one serialized <see cref="ModelImage"/>
/// (protobuf, edgeskyrmion/v1/model_image.proto). Reading validates everything the engine and the crossbar rely
/// on, so a bad image fails here with a message naming the defect, never later as an index error.
/// </summary>
public static class ModelImageFile
{
    public const uint SchemaVersion = WireSchema.Current;

    /// <summary><see cref="ModelImage.Levels"/> of a full-precision image (L = ∞): weights stored as floats.</summary>
    public const uint FullPrecision = 0;

    /// <summary>The most states a byte can index.</summary>
    public const int MaxStates = 256;

    public static ModelImage Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model image {path} does not exist.", path);
        ModelImage image;
        try
        {
            image = ModelImage.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not a model image ({e.Message}).", e);
        }
        return Validate(image, path);
    }

    /// <summary>Validates and writes atomically (temporary file, then rename): a failed write leaves no file.</summary>
    public static void Write(ModelImage image, string path)
    {
        Validate(image, path);
        string temp = path + ".partial";
        using (FileStream file = File.Create(temp))
        {
            image.WriteTo(file);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// Checks version, shapes, state indices and thresholds; throws <see cref="InvalidDataException"/> whose message
    /// names the offending field (as in model_image.proto, layers by index).
    /// </summary>
    public static ModelImage Validate(ModelImage image, string source = "model image")
    {
        Require(image.SchemaVersion == SchemaVersion, source, $"schema_version {image.SchemaVersion}, this build reads version {SchemaVersion}");
        Require(image.Layers.Count >= 1, source, "layers is empty");
        Require(image.Levels == FullPrecision || image.Levels % 2 == 1, source, $"levels {image.Levels} must be odd (2X+1) or 0 for full precision");
        Require(image.TimestepS > 0, source, $"timestep_s {image.TimestepS} must be positive");
        Require(image.MembraneTimeConstantS > 0, source, $"membrane_time_constant_s {image.MembraneTimeConstantS} must be positive");
        Require(image.MaxInputRateHz > 0, source, $"max_input_rate_hz {image.MaxInputRateHz} must be positive");
        Require(Enum.IsDefined(image.InputEncoding), source, $"input_encoding {(int)image.InputEncoding} is not an encoding this build knows");
        if (image.Levels != FullPrecision)
        {
            Require(image.StateMeansG0.Count is >= 1 and <= MaxStates, source, $"state_means_g0 has {image.StateMeansG0.Count} states, expected 1–{MaxStates}");
            Require(image.StateMeansG0.All(double.IsFinite), source, "state_means_g0 holds a non-finite value");
        }
        for (int l = 0; l < image.Layers.Count; l++)
        {
            Layer layer = image.Layers[l];
            string name = $"layers[{l}]";
            Require(layer.Inputs >= 1 && layer.Outputs >= 1, source, $"{name}.inputs {layer.Inputs} and {name}.outputs {layer.Outputs} must be at least 1");
            if (l > 0)
                Require(layer.Inputs == image.Layers[l - 1].Outputs, source, $"{name}.inputs {layer.Inputs} differs from layers[{l - 1}].outputs {image.Layers[l - 1].Outputs}");
            Require(layer.Threshold > 0 && float.IsFinite(layer.Threshold), source, $"{name}.threshold {layer.Threshold} must be positive");
            Require(layer.InitialPotential is >= 0 and < 1, source, $"{name}.initial_potential {layer.InitialPotential} must be a fraction of the threshold in [0, 1)");
            long synapses = (long)layer.Inputs * layer.Outputs;
            if (image.Levels == FullPrecision)
            {
                Require(layer.SignedWeights.Count == synapses, source, $"{name}.signed_weights has {layer.SignedWeights.Count} weights, expected {layer.Inputs}×{layer.Outputs}");
                Require(layer.SignedWeights.All(float.IsFinite), source, $"{name}.signed_weights holds a non-finite weight");
                continue;
            }
            Require(float.IsFinite(layer.WeightPerG0), source, $"{name}.weight_per_g0 must be finite");
            Require(layer.PlusStates.Length == synapses, source, $"{name}.plus_states has {layer.PlusStates.Length} states, expected {layer.Inputs}×{layer.Outputs}");
            Require(layer.MinusStates.Length == synapses, source, $"{name}.minus_states has {layer.MinusStates.Length} states, expected {layer.Inputs}×{layer.Outputs}");
            int states = image.StateMeansG0.Count;
            Require(MaxIndex(layer.PlusStates.Span) < states, source, $"{name}.plus_states uses a state index beyond the {states} states of state_means_g0");
            Require(MaxIndex(layer.MinusStates.Span) < states, source, $"{name}.minus_states uses a state index beyond the {states} states of state_means_g0");
        }
        return image;
    }

    private static int MaxIndex(ReadOnlySpan<byte> states)
    {
        int max = 0;
        foreach (byte s in states) max = Math.Max(max, s);
        return max;
    }

    private static void Require(bool condition, string source, string message)
    {
        if (!condition) throw new InvalidDataException($"{source}: {message}.");
    }
}
