using System.CommandLine;
using EdgeSkyrmion.Cli;
using EdgeSkyrmion.DeviceModel.Energy;
using EdgeSkyrmion.Protos.V1;

namespace EdgeSkyrmion.OperatorCli.Commands;

/// <summary>`report --user U`: the operator's view of one user (operator API GetUserReport).</summary>
public static class ReportCommand
{
    public static Command Build()
    {
        Option<string> user = UserCommands.UserOption();
        Command command = CliCommand.Create("report",
            "Base vs personalized accuracy on the user's test set, updates sent, energy spent, device health. Example: report --user alice --json",
            async (parse, ctx, ct) =>
            {
                using OperatorConnection ops = FleetCommands.Connect(parse);
                UserReport r = await ops.Client.GetUserReportAsync(new GetUserReportRequest { UserId = parse.GetValue(user)! }, cancellationToken: ct);
                ctx.EmitMessage(r, o => Write(o, r));
            });
        foreach (Option o in new Option[] { FleetCommands.Server, FleetCommands.TokenFile, FleetCommands.Ca, user }) command.Options.Add(o);
        return command;
    }

    private static void Write(TextWriter o, UserReport r)
    {
        o.WriteLine($"user {r.UserId} wears {r.DeviceId} (holds {r.HeldModel}); samples: {r.TrainSamples} train, {r.TestSamples} test");
        o.WriteLine(r.Personalized
            ? $"accuracy on the user's test set ({r.EvaluatedWith}): base {r.BaseAccuracy:P2} -> personalized {r.PersonalAccuracy:P2} ({(r.PersonalAccuracy - r.BaseAccuracy) * 100:+0.0;-0.0} points)"
            : "not personalized yet");
        o.WriteLine($"plans {r.Plans}; updates sent {r.UpdatesSent}, applied {r.UpdatesApplied}; energy spent {Units.Nanojoules(r.EnergySpentFj):F3} nJ (estimated {Units.Nanojoules(r.EstimatedEnergyFj):F3} nJ)");
        o.WriteLine($"device health: {r.FailedSynapseDevices} of {r.TotalDevices} devices failed to program");
        foreach (UpdateRecord u in r.Updates)
            o.WriteLine($"  {u.ModelId} v{u.BaseVersion}->v{u.NewVersion} {Words.Kind(u.Kind),-5} {Words.Outcome(u.Outcome),-8} {u.SynapsesChanged,8} synapses {u.Bytes,9} B {Units.Nanojoules(u.Outcome == UpdateOutcome.Applied ? u.EnergyFj : u.EstimatedEnergyFj),10:F3} nJ");
    }
}
