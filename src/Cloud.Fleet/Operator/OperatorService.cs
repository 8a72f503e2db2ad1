using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Cloud.Fleet.Rollouts;
using EdgeSkyrmion.Cloud.Fleet.Tls;
using EdgeSkyrmion.Cloud.Fleet.Updates;
using EdgeSkyrmion.Edge.Data;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Grpc.Core;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// The operator contract (operator.proto), served as gRPC and, through JSON transcoding, as JSON over HTTP. A thin
/// layer over the stores and the hub: it converts between messages and records, and turns a refusal of bad input
/// (ArgumentException, InvalidDataException: nothing was stored) into INVALID_ARGUMENT with the reason.
/// </summary>
public sealed class OperatorService(DeviceRegistry devices, ModelCatalog catalog, RolloutStore rollouts, RolloutControl control, UpdateLog log, UpdateBuilder builder,
    FleetHub hub, GroupCommit commits, FleetDatabase db, ServerIdentity identity, KeyRing keys, OperatorStore operators, AuditLog audit, DeviceCertificates certificates)
    : Protos.V1.Operator.OperatorBase
{
    public override Task<RegisterDeviceResponse> RegisterDevice(RegisterDeviceRequest request, ServerCallContext context) => Run(() =>
    {
        UserStore.CheckId(request.DeviceId, "device id");
        return Credentials(request.DeviceId, Register(request.DeviceId));
    });

    /// <summary>Registers a device; it joins the dynamic rollouts still running.</summary>
    private string Register(string deviceId) => devices.Register(deviceId, c => RolloutStore.IncludeNewDevice(c, deviceId));

    /// <remarks>Whether it was connected, and the closing of its stream, are cluster-wide: its grain knows the node.</remarks>
    public override async Task<RevokeDeviceResponse> RevokeDevice(RevokeDeviceRequest request, ServerCallContext context)
    {
        RevokeDeviceResponse response = await Run(() =>
        {
            devices.Revoke(request.DeviceId);
            return new RevokeDeviceResponse { DeviceId = request.DeviceId };
        }).ConfigureAwait(false);
        response.WasConnected = await hub.IsConnectedAsync(request.DeviceId).ConfigureAwait(false);
        await hub.DisconnectAsync(request.DeviceId, $"device {request.DeviceId}: its credentials were revoked.").ConfigureAwait(false);
        return response;
    }

    public override async Task<RegisterDeviceResponse> RotateDeviceToken(RotateDeviceTokenRequest request, ServerCallContext context)
    {
        string token = await Run(() => devices.RotateToken(request.DeviceId)).ConfigureAwait(false);
        await hub.DisconnectAsync(request.DeviceId, $"device {request.DeviceId}: its credentials were replaced.").ConfigureAwait(false);
        return Credentials(request.DeviceId, token);
    }

    /// <summary>A device's new token with a newly issued client certificate (the old certificate stops working with the old token).</summary>
    private RegisterDeviceResponse Credentials(string deviceId, string token)
    {
        (string? certificate, string? key) = certificates.Issue(deviceId);
        return new RegisterDeviceResponse { DeviceId = deviceId, Token = token, ClientCertificatePem = certificate ?? "", ClientKeyPem = key ?? "" };
    }

    public override Task<ListDevicesResponse> ListDevices(ListDevicesRequest request, ServerCallContext context) => Run(() =>
        new ListDevicesResponse { Devices = { devices.All().Select(FleetMessages.Device) } });

    public override Task<DeviceDetail> GetDevice(GetDeviceRequest request, ServerCallContext context) => Run(() =>
    {
        DeviceRegistry.Device device = devices.Find(request.DeviceId) ?? throw new KeyNotFoundException($"unknown device {request.DeviceId}.");
        return new DeviceDetail { Device = FleetMessages.Device(device), Updates = { log.ForDevice(request.DeviceId).Select(FleetMessages.Update) } };
    });

    public override Task<SignedUpdate> IssueImage(IssueImageRequest request, ServerCallContext context) => Run(() =>
    {
        DeviceRegistry.Device device = devices.Find(request.DeviceId) ?? throw new ArgumentException($"unknown device {request.DeviceId}.");
        return builder.Build(device, catalog.Get(request.ModelId, request.Version), fullImage: true).Signed;
    });

    public override Task<ModelEntry> PublishModel(PublishModelRequest request, ServerCallContext context) => Run(() =>
    {
        ModelImage image;
        try { image = ModelImage.Parser.ParseFrom(request.Image); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"the published bytes are not a model image ({e.Message})."); }
        return FleetMessages.Model(catalog.Publish(image));
    });

    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) => Run(() =>
        new ListModelsResponse { Models = { catalog.List(request.ModelId.Length > 0 ? request.ModelId : null).Select(FleetMessages.Model) } });

    public override Task<ModelImage> GetModelImage(GetModelImageRequest request, ServerCallContext context) => Run(() =>
        catalog.Find(request.ModelId, request.Version) ?? throw new KeyNotFoundException($"model {request.ModelId} v{request.Version} is not published."));

    public override Task<RolloutStatus> StartRollout(StartRolloutRequest request, ServerCallContext context) => Run(() =>
        control.Start(request.ModelId, request.Version, request.DeviceIds,
            [.. request.Groups.Select(g => new RolloutPlan.GroupSpec(g.DeviceIds.Count > 0 || g.Percent == 0 ? null : g.Percent, g.DeviceIds))],
            request.HasSuccessThresholdPercent ? request.SuccessThresholdPercent : null, request.HasErrorThresholdPercent ? request.ErrorThresholdPercent : null, request.Dynamic));

    public override Task<RolloutStatus> RollBackModel(RollBackModelRequest request, ServerCallContext context) =>
        Run(() => control.RollBackTo(request.ModelId, request.ToVersion, request.DeviceIds));

    public override Task<RolloutStatus> GetRollout(GetRolloutRequest request, ServerCallContext context) => Run(() => control.Status(request.RolloutId, request.Summary));

    public override Task<ListRolloutsResponse> ListRollouts(ListRolloutsRequest request, ServerCallContext context) => Run(() =>
        new ListRolloutsResponse { Rollouts = { rollouts.List().Select(RolloutControl.Summary) } });

    public override Task<RolloutStatus> PauseRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Pause(request.RolloutId));

    public override Task<RolloutStatus> ResumeRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Resume(request.RolloutId));

    public override Task<RolloutStatus> CancelRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Cancel(request.RolloutId));

    public override Task<RolloutStatus> RollBackRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.RollBack(request.RolloutId));

    public override Task<SigningKeyInfo> GetSigningKey(GetSigningKeyRequest request, ServerCallContext context) => Run(() =>
    {
        KeyRing.Active active = keys.Current();
        return new SigningKeyInfo { KeyId = active.KeyId, PublicKeyDer = ByteString.CopyFrom(active.Key.ExportSubjectPublicKeyInfo()) };
    });

    public override Task<ListAuditResponse> ListAudit(ListAuditRequest request, ServerCallContext context) => Run(() => new ListAuditResponse
    {
        Entries =
        {
            audit.Read((long)Math.Min(request.AfterSequence, long.MaxValue), request.Limit == 0 ? 1000 : (int)Math.Min(request.Limit, 100_000)).Select(e => new AuditEntry
            {
                Sequence = (ulong)e.Sequence, UnixMs = e.UnixMs, Operator = e.Operator, Role = e.Role, Action = e.Action, Target = e.Target, Remote = e.Remote, Outcome = e.Outcome,
            }),
        },
    });

    public override Task<AddOperatorResponse> AddOperator(AddOperatorRequest request, ServerCallContext context) => Run(() =>
        new AddOperatorResponse { Name = request.Name, Role = request.Role, Token = operators.Add(request.Name, request.Role) });

    public override Task<ListOperatorsResponse> ListOperators(ListOperatorsRequest request, ServerCallContext context) => Run(() =>
        new ListOperatorsResponse { Operators = { operators.All().Select(o => new OperatorInfo { Name = o.Name, Role = o.Role, CreatedUnixMs = o.CreatedMs }) } });

    public override Task<KeysInfo> GetKeys(GetKeysRequest request, ServerCallContext context) => Run(Keys);

    public override Task<SigningKeyInfo> CreateSigningKey(CreateSigningKeyRequest request, ServerCallContext context) => Run(keys.CreateKey);

    public override Task<KeysInfo> PublishDelegation(PublishDelegationRequest request, ServerCallContext context) => Run(() =>
    {
        if (request.Delegation is null) throw new ArgumentException("no delegation given.");
        keys.Install(request.Delegation, request.RootPublicKeyDer.ToByteArray());
        return Keys();
    });

    private KeysInfo Keys()
    {
        var info = new KeysInfo { HeldKeyIds = { keys.HeldKeyIds } };
        if (keys.RootKeyDer is { } root)
        {
            info.RootKeyId = EdgeSkyrmion.Edge.Updates.UpdateSignature.KeyId(root);
            info.RootPublicKeyDer = ByteString.CopyFrom(root);
        }
        if (keys.Delegation is { } delegation) info.Delegation = delegation;
        try { info.ActiveKeyId = keys.Current().KeyId; }
        catch (InvalidOperationException) { info.ActiveKeyId = ""; }
        return info;
    }

    public override Task<ServerHealth> GetHealth(GetHealthRequest request, ServerCallContext context)
    {
        (long written, long batches) = commits.Counts;
        return Task.FromResult(new ServerHealth
        {
            ServerId = identity.ServerId, ConnectedDevices = (uint)hub.Connected, SchemaVersion = WireSchema.Current,
            Commits = (ulong)written, BatchesCommitted = (ulong)batches,
        });
    }

    public override Task<RegisterUserResponse> RegisterUser(RegisterUserRequest request, ServerCallContext context) => Run(() =>
    {
        // Both ids are validated before the device is registered, so a bad user id leaves no new device behind.
        UserStore.CheckId(request.UserId, "user id");
        UserStore.CheckId(request.DeviceId, "device id");
        var users = new UserStore(db);
        if (users.Find(request.UserId) is not null) throw new ArgumentException($"user {request.UserId} is already registered.");
        string? token = devices.Find(request.DeviceId) is null ? Register(request.DeviceId) : null;
        return new RegisterUserResponse { User = FleetMessages.User(users.Register(request.UserId, request.DeviceId)), DeviceToken = token ?? "" };
    });

    public override Task<ListUsersResponse> ListUsers(ListUsersRequest request, ServerCallContext context) => Run(() =>
        new ListUsersResponse { Users = { new UserStore(db).All().Select(FleetMessages.User) } });

    public override Task<AddSamplesResponse> AddSamples(AddSamplesRequest request, ServerCallContext context) => Run(() =>
    {
        byte[] labels = request.Labels.ToByteArray();
        int bad = Array.FindIndex(labels, l => l >= DigitSet.Classes);
        if (bad >= 0) throw new ArgumentException($"label {labels[bad]} of sample {bad} is outside 0–{DigitSet.Classes - 1}.");
        int total = new UserStore(db).AddSamples(request.UserId, Split(request.Split), request.Images.ToByteArray(), labels);
        return new AddSamplesResponse { UserId = request.UserId, Split = request.Split, Added = (uint)labels.Length, Total = (uint)total };
    });

    public override Task<Samples> GetSamples(GetSamplesRequest request, ServerCallContext context) => Run(() =>
    {
        var users = new UserStore(db);
        users.Get(request.UserId);
        DigitSet set = users.Samples(request.UserId, Split(request.Split));
        return new Samples { Count = (uint)set.Count, Images = ByteString.CopyFrom(set.Images), Labels = ByteString.CopyFrom(set.Labels) };
    });

    public override Task<RecordPersonalizationResponse> RecordPersonalization(Personalization request, ServerCallContext context) => Run(() =>
    {
        var users = new UserStore(db);
        users.Get(request.UserId);
        users.RecordPersonalization(FleetMessages.Personalization(request));
        return new RecordPersonalizationResponse();
    });

    public override Task<Protos.V1.UserReport> GetUserReport(GetUserReportRequest request, ServerCallContext context) => Run(() => UserReport.For(db, request.UserId));

    private static DigitSplit Split(SampleSplit split) => split switch
    {
        SampleSplit.Train => DigitSplit.Train,
        SampleSplit.Test => DigitSplit.Test,
        _ => throw new ArgumentException($"split {split}: use SAMPLE_SPLIT_TRAIN or SAMPLE_SPLIT_TEST."),
    };

    /// <summary>
    /// Bad input is INVALID_ARGUMENT (HTTP 400), an unknown id NOT_FOUND (404), and a request the fleet is not in a
    /// state to serve (pausing a finished rollout, no signing key vouched for) FAILED_PRECONDITION (400), each with the
    /// reason; nothing was changed.
    /// </summary>
    private static Task<T> Run<T>(Func<T> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (KeyNotFoundException e)
        {
            throw new RpcException(new Status(StatusCode.NotFound, e.Message));
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        catch (InvalidOperationException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }
}
