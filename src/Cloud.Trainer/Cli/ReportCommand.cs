using System.CommandLine;
using EdgeSkyrmion.Cloud.Fleet;
using EdgeSkyrmion.Cloud.Personalization;

namespace EdgeSkyrmion.Cloud.Cli;

/// <summary>`report --user U`: the operator's view of one user (<see cref="UserReport"/>).</summary>
public static class ReportCommand
{
    public static Command Build()
    {
        Option<string> db = UserCommands.DbOption(), user = UserCommands.UserOption();
        Command command = CliCommand.Create("report",
            "Base vs personalized accuracy on the user's test set, updates sent, energy spent, device health. Example: report --user alice --json",
            (parse, ctx, ct) =>
            {
                UserReport r = UserReport.For(UserCommands.Open(parse.GetValue(db)!), parse.GetValue(user)!);
                ctx.Emit(r, r.Write);
                return Task.CompletedTask;
            });
        command.Options.Add(db);
        command.Options.Add(user);
        return command;
    }
}
