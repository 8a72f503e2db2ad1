using EdgeSkyrmion.Cloud.Fleet.Devices;
using EdgeSkyrmion.Cloud.Fleet.Storage;
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
    FleetHub hub, FleetDatabase db, ServerIdentity identity, TelemetryHistory telemetry) : Protos.V1.Operator.OperatorBase
{
    public override Task<RegisterDeviceResponse> RegisterDevice(RegisterDeviceRequest request, ServerCallContext context) => Run(() =>
    {
        UserStore.CheckId(request.DeviceId, "device id");
        return new RegisterDeviceResponse { DeviceId = request.DeviceId, Token = devices.Register(request.DeviceId) };
    });

    public override Task<ListDevicesResponse> ListDevices(ListDevicesRequest request, ServerCallContext context) => Run(() =>
        new ListDevicesResponse { Devices = { devices.All().Select(FleetMessages.Device) } });

    public override Task<DeviceDetail> GetDevice(GetDeviceRequest request, ServerCallContext context) => Run(() =>
    {
        DeviceRegistry.Device device = devices.Find(request.DeviceId) ?? throw new KeyNotFoundException($"unknown device {request.DeviceId}.");
        DeviceInfo info = FleetMessages.Device(device);
        info.TemperatureK = telemetry.LatestTemperatureK(request.DeviceId) ?? 0;
        return new DeviceDetail { Device = info, Updates = { log.ForDevice(request.DeviceId).Select(FleetMessages.Update) } };
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

    public override Task<RolloutStatus> StartRollout(StartRolloutRequest request, ServerCallContext context) =>
        Run(() => control.Start(request.ModelId, request.Version, request.DeviceIds));

    public override Task<RolloutStatus> GetRollout(GetRolloutRequest request, ServerCallContext context) => Run(() => control.Status(request.RolloutId));

    public override Task<ListRolloutsResponse> ListRollouts(ListRolloutsRequest request, ServerCallContext context) => Run(() =>
        new ListRolloutsResponse { Rollouts = { rollouts.List().Select(RolloutControl.Summary) } });

    public override Task<RolloutStatus> PauseRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Pause(request.RolloutId));

    public override Task<RolloutStatus> ResumeRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Resume(request.RolloutId));

    public override Task<RolloutStatus> CancelRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.Cancel(request.RolloutId));

    public override Task<RolloutStatus> RollBackRollout(RolloutActionRequest request, ServerCallContext context) => Run(() => control.RollBack(request.RolloutId));

    public override Task<SigningKeyInfo> GetSigningKey(GetSigningKeyRequest request, ServerCallContext context) =>
        Task.FromResult(new SigningKeyInfo { KeyId = identity.SigningKeyId, PublicKeyDer = ByteString.CopyFrom(identity.SigningPublicKeyDer) });

    public override Task<ServerHealth> GetHealth(GetHealthRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerHealth { ServerId = identity.ServerId, ConnectedDevices = (uint)hub.Connected, SchemaVersion = WireSchema.Current });

    public override Task<RegisterUserResponse> RegisterUser(RegisterUserRequest request, ServerCallContext context) => Run(() =>
    {
        // Both ids are validated before the device is registered, so a bad user id leaves no new device behind.
        UserStore.CheckId(request.UserId, "user id");
        UserStore.CheckId(request.DeviceId, "device id");
        var users = new UserStore(db);
        if (users.Find(request.UserId) is not null) throw new ArgumentException($"user {request.UserId} is already registered.");
        string? token = devices.Find(request.DeviceId) is null ? devices.Register(request.DeviceId) : null;
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
    /// Bad input is INVALID_ARGUMENT (HTTP 400), an unknown id NOT_FOUND (404), and acting on something in the wrong
    /// state (pausing a finished rollout) FAILED_PRECONDITION (400), each with the reason; nothing was changed.
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
