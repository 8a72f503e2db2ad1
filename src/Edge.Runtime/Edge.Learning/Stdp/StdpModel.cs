using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSkyrmion.Edge.Stdp;

/// <summary>
/// A trained Diehl &amp; Cook network as a file (`stdp train --out`): versioned JSON holding the shape, the synapse
/// kind (continuous, or the number of device states with the state table's name and each device's state), the
/// settings it was trained with, the adaptive thresholds θ (volts), the neuron labels and the effective weights
/// (input-major, 784 × neurons). A file of another format, version or inconsistent shape is refused.
/// </summary>
public sealed record StdpModel
{
    public const string FormatName = "edgeskyrmion-stdp";
    public const int FormatVersion = 1;

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = FormatVersion;
    public required int Inputs { get; init; }
    public required int Neurons { get; init; }

    /// <summary>Device states per synapse; null for ideal continuous weights.</summary>
    public int? DeviceStates { get; init; }

    /// <summary>The compact-model state table the devices follow; null for continuous weights.</summary>
    public string? StateTable { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<StdpProgramming>))]
    public StdpProgramming? Programming { get; init; }

    public required int Seed { get; init; }
    public required int ImagesTrained { get; init; }
    public required int LabellingImages { get; init; }
    public required StdpSettings Settings { get; init; }
    public required double[] ThetaV { get; init; }
    public required int[] Labels { get; init; }
    public required float[] Weights { get; init; }

    /// <summary>Each device's physical state (discrete models only), same order as <see cref="Weights"/>.</summary>
    public byte[]? DeviceStateValues { get; init; }

    public string SynapseKind => DeviceStates is { } n ? $"{n} states" : "continuous";

    internal sealed record FileHeader(string? Format, int Version);

    public StdpModel Validated(string source)
    {
        if (Format != FormatName) throw new InvalidDataException($"{source}: not an STDP model file (format '{Format}', expected '{FormatName}').");
        if (Version != FormatVersion) throw new InvalidDataException($"{source}: STDP model format version {Version}, this build reads version {FormatVersion}.");
        if (Inputs != DiehlCookNetwork.Inputs) throw new InvalidDataException($"{source}: model has {Inputs} inputs, the network takes {DiehlCookNetwork.Inputs} (28×28).");
        if (Neurons <= 0 || Settings is null || Settings.Neurons != Neurons)
            throw new InvalidDataException($"{source}: model shape {Inputs}×{Neurons} does not match its settings.");
        if (Weights is null || Weights.Length != Inputs * Neurons)
            throw new InvalidDataException($"{source}: {Weights?.Length ?? 0} weights, a {Inputs}×{Neurons} model needs {Inputs * Neurons}.");
        if (ThetaV is null || ThetaV.Length != Neurons || Labels is null || Labels.Length != Neurons)
            throw new InvalidDataException($"{source}: θ and labels need one entry per neuron ({Neurons}).");
        if (Labels.Any(l => l is < NeuronLabels.Unlabelled or > 9)) throw new InvalidDataException($"{source}: labels must be −1 or 0–9.");
        if (DeviceStates is { } n && (n < 2 || DeviceStateValues is null || DeviceStateValues.Length != Weights.Length || DeviceStateValues.Any(s => s >= n)))
            throw new InvalidDataException($"{source}: a {n}-state model needs one device state below {n} per synapse.");
        return this;
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".partial";
        using (FileStream stream = File.Create(temp))
            JsonSerializer.Serialize(stream, this, StdpModelJsonContext.Default.StdpModel);
        File.Move(temp, path, overwrite: true);
    }

    public static StdpModel Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model file {path} does not exist: write one with `stdp train --out {path}`.", path);
        try
        {
            // Format and version first, so a file of another version is named as such rather than as malformed.
            using (FileStream head = File.OpenRead(path))
            {
                FileHeader header = JsonSerializer.Deserialize(head, StdpModelJsonContext.Default.FileHeader)
                    ?? throw new InvalidDataException($"{path}: empty STDP model file.");
                if (header.Format != FormatName) throw new InvalidDataException($"{path}: not an STDP model file (format '{header.Format}', expected '{FormatName}').");
                if (header.Version != FormatVersion) throw new InvalidDataException($"{path}: STDP model format version {header.Version}, this build reads version {FormatVersion}.");
            }
            using FileStream stream = File.OpenRead(path);
            StdpModel model = JsonSerializer.Deserialize(stream, StdpModelJsonContext.Default.StdpModel)
                ?? throw new InvalidDataException($"{path}: empty STDP model file.");
            return model.Validated(path);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid STDP model file ({e.Message}).", e);
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StdpModel))]
[JsonSerializable(typeof(StdpModel.FileHeader))]
internal sealed partial class StdpModelJsonContext : JsonSerializerContext;
