using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.Cloud.Fleet.Storage;

/// <summary>
/// How the contract's enums are stored: as the short words the database has always held ('pending', 'delta', …), so
/// existing fleet databases read unchanged and the code compares enums, never strings.
/// </summary>
public static class StatusColumn
{
    public static string Text(UpdateOutcome outcome) => outcome switch
    {
        UpdateOutcome.Pending => "pending",
        UpdateOutcome.Sent => "sent",
        UpdateOutcome.Applied => "applied",
        UpdateOutcome.Rejected => "rejected",
        UpdateOutcome.Cancelled => "cancelled",
        UpdateOutcome.Superseded => "superseded",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "not a stored update outcome"),
    };

    public static UpdateOutcome Outcome(string text) => text switch
    {
        "pending" => UpdateOutcome.Pending,
        "sent" => UpdateOutcome.Sent,
        "applied" => UpdateOutcome.Applied,
        "rejected" => UpdateOutcome.Rejected,
        "cancelled" => UpdateOutcome.Cancelled,
        "superseded" => UpdateOutcome.Superseded,
        _ => throw new InvalidDataException($"fleet database holds an unknown update status '{text}'."),
    };

    public static string Text(UpdateKind kind) => kind switch
    {
        UpdateKind.Delta => "delta",
        UpdateKind.FullImage => "full",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a stored update kind"),
    };

    public static UpdateKind Kind(string text) => text switch
    {
        "delta" => UpdateKind.Delta,
        "full" => UpdateKind.FullImage,
        _ => throw new InvalidDataException($"fleet database holds an unknown update kind '{text}'."),
    };
}
