using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace EdgeSkyrmion.Protos.V1;

/// <summary>
/// A client of the <see cref="Operator"/> service that presents the operator's bearer token on every call, over TLS
/// pinned to the fleet's CA when the server URL is https (<see cref="PinnedCa"/>). A
/// refusal that is the caller's to fix (invalid argument, not found, wrong token) becomes an ArgumentException
/// carrying the server's reason, so every program reports it as bad input.
/// </summary>
public sealed class OperatorConnection : IDisposable
{
    private readonly GrpcChannel _channel;

    /// <summary>Names the operator token file when --operator-token-file is not given.</summary>
    public const string TokenFileVariable = "EDGESKYRMION_OPERATOR_TOKEN_FILE";

    public Operator.OperatorClient Client { get; }

    /// <summary>Names the CA file when --ca is not given.</summary>
    public const string CaFileVariable = "EDGESKYRMION_CA_FILE";

    /// <summary>
    /// Connects with the token read from <paramref name="tokenFile"/> (<see cref="ReadTokenFile"/>), pinning the CA in
    /// <paramref name="caFile"/> — by default the one the server wrote beside the token file (NAME.tls-ca.pem).
    /// </summary>
    public static OperatorConnection FromTokenFile(Uri server, string tokenFile, string? caFile = null) =>
        new(server, ReadTokenFile(tokenFile), server.Scheme == Uri.UriSchemeHttps ? PinnedCa.Load(caFile ?? CaBeside(tokenFile)) : null);

    /// <summary>The CA file `serve` writes beside its operator token file (both are named after the database).</summary>
    public static string CaBeside(string tokenFile) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenFile))!, Path.GetFileNameWithoutExtension(tokenFile) + PinnedCa.FileSuffix);

    /// <summary>Reads an operator token file (the fleet server creates it beside its database); a missing or empty file is bad input naming it.</summary>
    public static string ReadTokenFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"operator token file {path} does not exist (serve creates it beside the database).", path);
        string token = File.ReadAllText(path).Trim();
        if (token.Length == 0 || token.Any(char.IsWhiteSpace)) throw new InvalidDataException($"{path} does not hold an operator token.");
        return token;
    }

    public OperatorConnection(Uri server, string operatorToken, System.Security.Cryptography.X509Certificates.X509Certificate2? ca = null)
    {
        _channel = GrpcChannel.ForAddress(server, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = 64 * 1024 * 1024, MaxSendMessageSize = 64 * 1024 * 1024, HttpHandler = PinnedCa.Handler(server, ca), DisposeHttpClient = true,
        });
        CallInvoker invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", "Bearer " + operatorToken);
            return metadata;
        }).Intercept(new RefusalInterceptor());
        Client = new Operator.OperatorClient(invoker);
    }

    /// <summary>
    /// Polls a rollout's summary (counts only) until no device is pending or sent, or the timeout passes; returns the
    /// whole last status, with every device.
    /// </summary>
    public async Task<RolloutStatus> WaitForRolloutAsync(string rolloutId, TimeSpan timeout, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            RolloutStatus progress = await Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId, Summary = true }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
            if (progress.State != RolloutState.InProgress || DateTime.UtcNow > deadline)
                return await Client.GetRolloutAsync(new GetRolloutRequest { RolloutId = rolloutId }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
            // Fast for small rollouts (tests), gentler for large ones, whose counting reads every device's row.
            await Task.Delay(progress.Groups.Sum(g => g.Devices) < 1000 ? 50 : 250, ct).ConfigureAwait(false);
        }
    }

    public void Dispose() => _channel.Dispose();

    private sealed class RefusalInterceptor : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
        {
            AsyncUnaryCall<TResponse> call = continuation(request, context);
            return new AsyncUnaryCall<TResponse>(Translate(call.ResponseAsync), call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
        }

        private static async Task<TResponse> Translate<TResponse>(Task<TResponse> response)
        {
            try
            {
                return await response.ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists
                or StatusCode.FailedPrecondition or StatusCode.OutOfRange or StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                throw new ArgumentException(e.Status.Detail, e);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable)
            {
                throw new ArgumentException($"the fleet server is not reachable ({e.Status.Detail}); is `serve` running, and is --server its gRPC URL?", e);
            }
        }
    }
}
