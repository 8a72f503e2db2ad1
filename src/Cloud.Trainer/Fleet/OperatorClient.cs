using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// The operator CLI's client of <see cref="OperatorApi"/>, presenting the operator token (<see cref="OperatorToken"/>);
/// a 4xx from the server (401 included) becomes an ArgumentException with its reason.
/// </summary>
public sealed class OperatorClient(Uri http1Url, string operatorToken) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http = new()
    {
        BaseAddress = http1Url, Timeout = TimeSpan.FromMinutes(5),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", operatorToken) },
    };

    public async Task<OperatorApi.RegisterResponse> RegisterAsync(string deviceId, CancellationToken ct) =>
        await Read<OperatorApi.RegisterResponse>(await _http.PostAsJsonAsync("api/devices", new OperatorApi.RegisterRequest(deviceId), Json, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    public async Task<ModelCatalog.Entry> PublishAsync(byte[] artifact, CancellationToken ct)
    {
        using var content = new ByteArrayContent(artifact);
        content.Headers.ContentType = new("application/octet-stream");
        return await Read<ModelCatalog.Entry>(await _http.PostAsync("api/models", content, ct).ConfigureAwait(false), ct).ConfigureAwait(false);
    }

    public async Task<OperatorApi.RolloutResponse> RolloutAsync(string modelId, ulong version, string[]? devices, CancellationToken ct) =>
        await Read<OperatorApi.RolloutResponse>(await _http.PostAsJsonAsync("api/rollouts", new OperatorApi.RolloutRequest(modelId, version, devices), Json, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>A full signed image for one device (provisioning with tools/flash).</summary>
    public async Task<byte[]> SignedImageAsync(string deviceId, string modelId, ulong version, CancellationToken ct)
    {
        using HttpResponseMessage response = await _http.PostAsJsonAsync($"api/devices/{Uri.EscapeDataString(deviceId)}/image", new OperatorApi.ImageRequest(modelId, version), Json, ct).ConfigureAwait(false);
        if ((int)response.StatusCode is >= 400 and < 500)
            throw new ArgumentException(TryError(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)) ?? $"server answered {(int)response.StatusCode}.");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    public async Task<JsonElement> GetAsync(string path, CancellationToken ct) =>
        await Read<JsonElement>(await _http.GetAsync(path, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    public async Task<OperatorApi.KeyResponse> SigningKeyAsync(CancellationToken ct) =>
        await Read<OperatorApi.KeyResponse>(await _http.GetAsync("api/signing-key", ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Polls a rollout until no device is pending or sent, or the timeout passes; returns the last status.</summary>
    public async Task<JsonElement> WaitForRolloutAsync(string rolloutId, TimeSpan timeout, CancellationToken ct)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            JsonElement status = await GetAsync($"api/rollouts/{rolloutId}", ct).ConfigureAwait(false);
            if (status.GetProperty("pending").GetInt32() + status.GetProperty("sent").GetInt32() == 0 || DateTime.UtcNow > deadline) return status;
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    private static async Task<T> Read<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if ((int)response.StatusCode is >= 400 and < 500)
                throw new ArgumentException(TryError(body) ?? $"server answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            response.EnsureSuccessStatusCode();
            return JsonSerializer.Deserialize<T>(body, Json) ?? throw new InvalidDataException("empty response from server.");
        }
    }

    private static string? TryError(string body)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("error", out JsonElement e) ? e.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
