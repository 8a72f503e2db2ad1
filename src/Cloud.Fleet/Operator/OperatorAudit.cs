using System.Security.Claims;
using System.Text;
using EdgeSkyrmion.Cloud.Fleet.Storage;
using EdgeSkyrmion.Protos.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace EdgeSkyrmion.Cloud.Fleet.Operator;

/// <summary>
/// Every operator call, gRPC or JSON (transcoded calls run through the same interceptors): a viewer calling a
/// method that is not read-only is refused with PERMISSION_DENIED (HTTP 403), and every call that is not read-only —
/// done, refused by role, or refused as bad input — is written to the <see cref="AuditLog"/> with the operator, the
/// method, the request's scalar fields, the caller's address and the outcome.
/// </summary>
public sealed class OperatorAudit(AuditLog audit, ILogger<OperatorAudit> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        string action = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        if (OperatorRoles.ViewerMethods.Contains(action)) return await continuation(request, context).ConfigureAwait(false);
        HttpContext http = context.GetHttpContext();
        ClaimsPrincipal user = http.User;
        string name = user.Identity?.Name ?? "", role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        string remote = http.Connection.RemoteIpAddress?.ToString() ?? "", target = Target(request as IMessage);
        if (!user.IsInRole(OperatorRoles.Admin))
        {
            audit.Append(name, role, action, target, remote, "refused: not an admin");
            logger.LogWarning("refused {Action} by {Operator} ({Role}) from {Remote}: admin only", action, name, role, remote);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"operator {name} is a {role}: {action} needs the {OperatorRoles.Admin} role."));
        }
        try
        {
            TResponse response = await continuation(request, context).ConfigureAwait(false);
            audit.Append(name, role, action, target, remote, "done");
            return response;
        }
        catch (RpcException e)
        {
            audit.Append(name, role, action, target, remote, $"refused: {e.Status.Detail}");
            throw;
        }
    }

    /// <summary>
    /// The request's scalar fields (ids, versions, roles), never bytes (images, samples, tokens are not in requests); a
    /// signed delegation is named by what it vouches for, since which keys an operator trusted is the point of the entry.
    /// </summary>
    private static string Target(IMessage? message)
    {
        if (message is null) return "";
        var text = new StringBuilder();
        foreach (FieldDescriptor field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            object value = field.Accessor.GetValue(message);
            if (value is SignedDelegation delegation)
            {
                if (text.Length > 0) text.Append(' ');
                text.Append(field.Name).Append('=').Append(Describe(delegation));
                continue;
            }
            if (field.FieldType is FieldType.Bytes or FieldType.Message or FieldType.Group) continue;
            string shown = field.IsRepeated ? string.Join(",", ((System.Collections.IEnumerable)value).Cast<object>()) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            if (shown.Length == 0 || shown is "0" or "False" || (field.FieldType == FieldType.Enum && shown == "0")) continue;
            if (text.Length > 0) text.Append(' ');
            text.Append(field.Name).Append('=').Append(shown.Length > 200 ? shown[..200] + "…" : shown);
        }
        return text.ToString();
    }

    /// <summary>"v3 root=… keys=a,b revoked=c", as the delegation's bytes say (verified or not: the audit records the attempt).</summary>
    private static string Describe(SignedDelegation signed)
    {
        try
        {
            Delegation d = Delegation.Parser.ParseFrom(signed.DelegationBytes);
            return $"v{d.Version} root={signed.RootKeyId} keys={string.Join(',', d.Keys.Select(k => k.KeyId))} revoked={string.Join(',', d.RevokedKeyIds)}";
        }
        catch (InvalidProtocolBufferException)
        {
            return $"unreadable (root={signed.RootKeyId})";
        }
    }
}
