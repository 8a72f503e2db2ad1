using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`fleet operator add|list` and `fleet audit`: who may act on the fleet (admin or read-only viewer) and what they did.</summary>
public static class AccessCommands
{
    public static Command Operators()
    {
        var operators = new Command("operator", "Operators of the fleet server and their roles (admin: everything; viewer: read-only).");
        var name = new Option<string>("--name") { Description = "The operator's name.", Required = true };
        var role = new Option<string>("--role") { Description = "admin or viewer.", Required = true };
        role.AcceptOnlyFromAmong("admin", "viewer");
        Command add = CliCommand.Create("add", "Add an operator; prints its token once. Example: fleet operator add --name alice --role viewer",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                AddOperatorResponse r = await ops.Client.AddOperatorAsync(new AddOperatorRequest { Name = parse.GetValue(name)!, Role = parse.GetValue(role)! }, cancellationToken: ct);
                ctx.EmitMessage(r, o => o.WriteLine($"added {r.Role} {r.Name}; token {r.Token}"));
            });
        add.Options.Add(name);
        add.Options.Add(role);
        Command list = CliCommand.Create("list", "List operators and their roles. Example: fleet operator list",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                ListOperatorsResponse r = await ops.Client.ListOperatorsAsync(new ListOperatorsRequest(), cancellationToken: ct);
                ctx.EmitMessage(r, o =>
                {
                    foreach (OperatorInfo op in r.Operators) o.WriteLine($"{op.Name,-20} {op.Role}");
                });
            });
        operators.Subcommands.Add(add);
        operators.Subcommands.Add(list);
        return operators;
    }

    public static Command Audit()
    {
        var after = new Option<ulong>("--after") { Description = "Only entries after this sequence number.", DefaultValueFactory = _ => 0 };
        var limit = new Option<uint>("--limit") { Description = "At most this many entries.", DefaultValueFactory = _ => 1000 };
        Command audit = CliCommand.Create("audit", "The audit log of state-changing operator actions, oldest first. Example: fleet audit --after 120",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                ListAuditResponse r = await ops.Client.ListAuditAsync(new ListAuditRequest { AfterSequence = parse.GetValue(after), Limit = parse.GetValue(limit) }, cancellationToken: ct);
                ctx.EmitMessage(r, o =>
                {
                    foreach (AuditEntry e in r.Entries)
                        o.WriteLine($"{e.Sequence,6} {DateTimeOffset.FromUnixTimeMilliseconds(e.UnixMs).ToString("u", System.Globalization.CultureInfo.InvariantCulture)} " +
                            $"{e.Operator} ({e.Role}) from {e.Remote}: {e.Action} {e.Target} → {e.Outcome}");
                });
            });
        audit.Options.Add(after);
        audit.Options.Add(limit);
        return audit;
    }
}
