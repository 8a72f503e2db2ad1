using EdgeSkyrmion.DeviceModel.Energy;
using System.CommandLine;
using System.Text.Json;
using EdgeSkyrmion.Edge.Runtime;
using EdgeSkyrmion.Edge.Transport;
using EdgeSkyrmion.Edge.Updates;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;

// flash: programs a full signed model image into a device's crossbar, verified against the device's pinned cloud
// key, with write-verify, a progress bar and an energy report. Interrupted flashing resumes: the device's journal
// finishes the image when the state directory is next opened, and running flash again then reports it as applied.
var artifact = new Option<string>("--artifact") { Description = "Signed full image (fleet image --out).", Required = true };
var state = new Option<string?>("--state") { Description = "The device's state directory (edge provision + edge trust): program it here." };
var deviceUrl = new Option<string?>("--device") { Description = "A running device's provisioning URL (edge run --provisioning-url): send it the image." };
var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on stdout." };
var root = new RootCommand("Provision a device with a full signed model image.\nExample: flash --artifact out/wrist-1-v1.signed --state /var/edge --json") { artifact, state, deviceUrl, json };
root.SetAction(parse =>
{
    bool asJson = parse.GetValue(json);
    try
    {
        string path = parse.GetValue(artifact)!;
        if (!File.Exists(path)) throw new FileNotFoundException($"artifact {path} does not exist.", path);
        byte[] bytes = File.ReadAllBytes(path);
        SignedUpdate signed;
        try { signed = SignedUpdate.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException bad) { throw new InvalidDataException($"{path} is not a signed image ({bad.Message})."); }
        if ((parse.GetValue(state) is null) == (parse.GetValue(deviceUrl) is null))
            throw new ArgumentException("give exactly one of --state DIR (program locally) and --device URL (send to a running device).");
        UpdateAck ack;
        string deviceName;
        if (parse.GetValue(deviceUrl) is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? target)) throw new ArgumentException($"--device {url} is not an absolute URL.");
            deviceName = target.ToString();
            if (!asJson) Console.Error.WriteLine($"sending {bytes.Length} bytes to {target} and waiting for the device to program and verify it...");
            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new("application/x-protobuf");
            HttpResponseMessage response;
            try { response = http.PostAsync(new Uri(target, "provision"), content).GetAwaiter().GetResult(); }
            catch (HttpRequestException unreachable) { throw new InvalidOperationException($"cannot reach the device at {target} ({unreachable.Message})."); }
            using (response)
            {
                try { ack = UpdateAck.Parser.ParseFrom(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()); }
                catch (InvalidProtocolBufferException) { throw new InvalidOperationException($"the device at {target} answered {(int)response.StatusCode} without an ack."); }
            }
        }
        else
        {
            EdgeDevice device = EdgeDevice.Open(parse.GetValue(state)!);
            deviceName = device.Committed.DeviceId;
            if (device.Recovered is { } r) Console.Error.WriteLine($"finished interrupted update {r.UpdateId} (v{r.BaseVersion}→v{r.NewVersion})");
            DeviceCredentials credentials = DeviceCredentials.Load(device.StateDirectory);
            int last = -1;
            ack = new UpdateApplier(device, credentials.Trust(device.StateDirectory)).Apply(signed, fraction =>
            {
                int percent = (int)(fraction * 100);
                if (percent == last || asJson) return;
                last = percent;
                Console.Error.Write($"\rflashing [{new string('#', percent / 4),-25}] {percent,3}%");
                if (percent == 100) Console.Error.WriteLine();
            });
        }
        EnergyReport e = ack.Energy ?? new EnergyReport();
        var result = new
        {
            update_id = ack.UpdateId, applied = ack.Applied, reason = ack.Reason, model_version = ack.ModelVersion,
            devices_programmed = ack.DevicesProgrammed, devices_failed = ack.DevicesFailed, seconds = ack.Seconds,
            programming_pulses = e.ProgrammingPulses, initialization_pulses = e.InitializationPulses, reads = e.Reads,
            energy_fj = e.TotalEnergyFj,
        };
        if (asJson) Console.Out.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        else if (ack.Applied)
            Console.Out.WriteLine($"device {deviceName} holds v{ack.ModelVersion}: {ack.DevicesProgrammed} devices programmed ({ack.DevicesFailed} failed), {Units.Nanojoules(result.energy_fj):F2} nJ, {ack.Seconds:F1} s");
        if (!ack.Applied) Console.Error.WriteLine($"error: image refused: {ack.Reason}");
        return ack.Applied ? 0 : 1;
    }
    catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or InvalidOperationException or UriFormatException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        if (asJson) Console.Out.WriteLine(JsonSerializer.Serialize(new { error = e.Message, exit_code = 1 }));
        return 1;
    }
});
return root.Parse(args).Invoke();
