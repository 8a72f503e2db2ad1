using System.Text.Json.Serialization;
using EdgeSkyrmion.Edge.Host.Commands;

namespace EdgeSkyrmion.Edge.Host;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StatusCommand.Output), TypeInfoPropertyName = "StatusOutput")]
[JsonSerializable(typeof(ProvisionCommand.Output), TypeInfoPropertyName = "ProvisionOutput")]
[JsonSerializable(typeof(ApplyCommand.Output), TypeInfoPropertyName = "ApplyOutput")]
[JsonSerializable(typeof(EdgeSkyrmion.Edge.Runtime.EdgeInference.Result), TypeInfoPropertyName = "InferResult")]
[JsonSerializable(typeof(EdgeSkyrmion.Edge.Runtime.AgingReport))]
[JsonSerializable(typeof(EdgeSkyrmion.Edge.Runtime.LifetimeSimulation.Result), TypeInfoPropertyName = "LifetimeResult")]
[JsonSerializable(typeof(RefreshCommand.Output), TypeInfoPropertyName = "RefreshOutput")]
internal sealed partial class HostJson : JsonSerializerContext;
