using EdgeSkyrmion.Cloud.Personalization;

namespace EdgeSkyrmion.Cloud.Fleet;

/// <summary>
/// The operator's user API on the HTTP/1.1 endpoint: register a user wearing a registered device, upload labelled
/// samples (JSON: split, labels 0–9, images as base64 of count×784 bytes), list users, and the per-user report.
/// </summary>
public static class UserApi
{
    public sealed record UserRequest(string UserId, string DeviceId);
    public sealed record SamplesRequest(string Split, int[] Labels, string ImagesBase64);

    public static void Map(WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/users");
        api.MapPost("", (UserRequest request, FleetDatabase db) => Run(() => Results.Ok(new UserStore(db).Register(request.UserId, request.DeviceId))));
        api.MapGet("", (FleetDatabase db) => Results.Ok(new UserStore(db).All()));
        api.MapPost("/{id}/samples", (string id, SamplesRequest request, FleetDatabase db) => Run(() =>
        {
            byte[] images;
            try { images = Convert.FromBase64String(request.ImagesBase64 ?? ""); }
            catch (FormatException) { throw new ArgumentException("images_base64 is not valid base64."); }
            int[] labels = request.Labels ?? [];
            int bad = Array.FindIndex(labels, l => l is < 0 or >= Edge.Data.DigitSet.Classes);
            if (bad >= 0) throw new ArgumentException($"label {labels[bad]} of sample {bad} is outside 0–{Edge.Data.DigitSet.Classes - 1}.");
            int total = new UserStore(db).AddSamples(id, UserStore.ParseSplit(request.Split ?? ""), images, [.. labels.Select(l => (byte)l)]);
            return Results.Ok(new { user = id, split = request.Split, added = labels.Length, total });
        }));
        api.MapGet("/{id}/report", (string id, FleetDatabase db) => Run(() => Results.Ok(UserReport.For(db, id))));
    }

    /// <summary>Bad input is a 400 naming what was wrong (an unknown user included); nothing was stored.</summary>
    private static IResult Run(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }
}
