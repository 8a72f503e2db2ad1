using EdgeSkyrmion.Cloud.Fleet.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EdgeSkyrmion.Cloud.Fleet.Console.Pages;

/// <summary>Every user's report (the operator API's UserReport): base vs personalized accuracy, updates, energy.</summary>
public sealed class UsersModel(FleetDatabase db) : PageModel
{
    public IReadOnlyList<Protos.V1.UserReport> Reports { get; private set; } = [];

    public void OnGet() => Reports = [.. new UserStore(db).All().Select(u => Operator.UserReport.For(db, u.UserId))];
}
