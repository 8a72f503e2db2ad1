using System.Security.Claims;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Operator roles: an admin may call everything; a viewer only reads. The authenticated operator is the request's
/// <see cref="ClaimsPrincipal"/> (name and role claims), so any endpoint — the operator API or a console page — can
/// ask <see cref="ClaimsPrincipal.IsInRole"/>. Operator API methods are admin-only unless listed in
/// <see cref="ViewerMethods"/>: a method added later is closed to viewers until someone decides otherwise.
/// </summary>
public static class OperatorRoles
{
    public const string Admin = "admin";
    public const string Viewer = "viewer";
    public const string AuthenticationType = "operator-token";

    /// <summary>Operator methods (operator.proto) that only read.</summary>
    public static readonly IReadOnlySet<string> ViewerMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "ListDevices", "GetDevice", "ListModels", "GetModelImage", "GetRollout", "ListRollouts", "GetSigningKey", "GetHealth", "ListUsers",
        "GetSamples", "GetUserReport", "GetKeys", "ListAudit", "ListOperators",
    };

    public static string Check(string role) => role is Admin or Viewer ? role : throw new ArgumentException($"role {role}: use {Admin} or {Viewer}.");

    public static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], AuthenticationType));
}
