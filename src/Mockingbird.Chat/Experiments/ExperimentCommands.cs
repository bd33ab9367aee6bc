using System.Globalization;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;

namespace Mockingbird.Chat.Experiments;

/// <summary>
/// The commands around interviews rather than in them: a person's privacy choice for prompt experiments, the links
/// to the web pages, and the admin commands that list, report on and stop experiments. Every reply is for the person
/// who asked alone, as all command replies are.
/// </summary>
/// <param name="reports">Absent when the bot declares no experiments.</param>
/// <param name="adminPlaces">Where admins may run the experiment commands; absent means nowhere.</param>
public sealed class ExperimentCommands(IExperimentStore store, IDashboardLinks links, TimeProvider time, ExperimentReports? reports = null, ExperimentAdminPlaces? adminPlaces = null)
{
    /// <summary>What anyone but an admin hears, whatever they asked about: it says nothing of the experiments.</summary>
    public const string NotAnAdmin = "Only the bot's operators and the people who manage the servers or workspaces they name can use this command.";

    /// <summary>Why an arm stopped from chat stopped, for the report.</summary>
    public const string StoppedFromChat = "stopped by an admin in chat";

    /// <summary>What an operator sets to turn the web page on, as an environment variable.</summary>
    public const string WebSetting = "Web__Enabled=true";

    /// <summary>True for the commands this class runs.</summary>
    public static bool Handles(ChatCommand command) => command is ChatCommand.Privacy or ChatCommand.Progress or ChatCommand.Admin;

    public async Task<string> RunAsync(ChatRequest request, ChatCommand command, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The place is checked first: outside the listed places nobody is asked about, and nobody learns more.
        if (command is ChatCommand.Admin
            && (request.AdminCheck is not { } check || !(adminPlaces ?? ExperimentAdminPlaces.None).Allows(check.Place) || !await check.ManagesAsync(cancellationToken)))
        {
            return NotAnAdmin;
        }

        return command switch
        {
            ChatCommand.Privacy { ExperimentsOn: null } => await PrivacyAsync(request.CandidateId, commandName, cancellationToken),
            ChatCommand.Privacy { ExperimentsOn: { } on } => await ChooseAsync(request.CandidateId, on, commandName, cancellationToken),
            ChatCommand.Progress => Link("your progress page", links.ProgressLifetime, () => links.ForProgress(request.CandidateId)),
            ChatCommand.Dashboard => Link("the experiments page", links.DashboardLifetime, () => links.ForDashboard(request.CandidateId)),
            ChatCommand.ListExperiments => ExperimentReportText.List(reports is null ? [] : await reports.AllAsync(cancellationToken)),
            ChatCommand.ReportExperiment report => await ReportAsync(report.ExperimentId, cancellationToken),
            ChatCommand.StopArm stop => await StopAsync(stop, cancellationToken),
            _ => ChatCommand.Usage(commandName),
        };
    }

    private async Task<string> PrivacyAsync(string personId, string commandName, CancellationToken cancellationToken)
    {
        var control = await store.ControlAsync(cancellationToken);
        var choice = control.IsOptedOut(personId)
            ? $"Prompt experiments: you are out. You get each prompt's baseline version for good, and nothing you do is counted in experiments. `{commandName} privacy experiments on` takes you back in."
            : $"Prompt experiments: you take part. Your feedback may be written by a prompt version being tested (always the same one for you), and how it went is counted for that version. `{commandName} privacy experiments off` puts you in the baseline for good.";
        return $"{choice}\n" +
            "What is recorded while you take part: for each judged answer, which prompt version judged it, how long it took, its tokens and cost, and whether it fell back to the offline judge; " +
            "your 👍/👎 on feedback, with who you are and which feedback; and when your interviews start, how many answers they get and whether they finish. " +
            $"It is kept until you use `{commandName} forget-me`, which deletes your votes and interview records; totals that name nobody stay, and so does a choice to stay out of experiments, so that you stay out.";
    }

    private async Task<string> ChooseAsync(string personId, bool experimentsOn, string commandName, CancellationToken cancellationToken)
    {
        var changed = await store.SetOptedOutAsync(personId, !experimentsOn, cancellationToken);
        return (experimentsOn, changed) switch
        {
            (false, true) => $"You are out of prompt experiments for good: from your next answer you get each prompt's baseline version, and nothing you do is counted in experiments. What was counted before stays until you use `{commandName} forget-me`. `{commandName} privacy experiments on` takes you back in.",
            (false, false) => "You were out of prompt experiments already; nothing changed.",
            (true, true) => "You take part in prompt experiments again: from your next answer your feedback may be written by a prompt version being tested, always the same one for you.",
            (true, false) => "You take part in prompt experiments already; nothing changed.",
        };
    }

    private string Link(string page, TimeSpan lifetime, Func<Uri> make)
    {
        if (!links.Enabled)
        {
            return $"The web page is off on this bot. An operator turns it on with the setting `{WebSetting}` and restarts the bot.";
        }

        return $"Your link to {page}, for you alone (anyone holding it can open the page, so do not share it). It works for {Duration(lifetime)}:\n{make()}";
    }

    private async Task<string> ReportAsync(string experimentId, CancellationToken cancellationToken) =>
        reports is not null && await reports.ReportAsync(experimentId, cancellationToken) is { } report
            ? ExperimentReportText.Render(report)
            : NoSuchExperiment(experimentId);

    private async Task<string> StopAsync(ChatCommand.StopArm command, CancellationToken cancellationToken)
    {
        if (reports?.Find(command.ExperimentId) is not { } design)
        {
            return NoSuchExperiment(command.ExperimentId);
        }

        var arms = string.Join(", ", design.Arms.Select(a => a.Version == design.Baseline ? $"{a.Version} (baseline)" : a.Version));
        string version;
        if (command.Arm is { } named)
        {
            if (design.Arms.All(a => a.Version != named))
            {
                return $"Experiment `{design.Id}` has no arm `{named}`; its arms are {arms}.";
            }

            version = named;
        }
        else if (design.Challengers.ToList() is [var only])
        {
            version = only.Version;
        }
        else
        {
            return $"Experiment `{design.Id}` has more than one arm to stop; say which: {string.Join(", ", design.Challengers.Select(a => a.Version))}.";
        }

        if (version == design.Baseline)
        {
            return $"`{version}` is the baseline of `{design.Id}`: stopped arms and people who opted out fall back to it, so it cannot be stopped. Stop the other arms instead ({arms}).";
        }

        var (stop, stoppedNow) = await store.StopAsync(new ArmStop(design.Id, version, StoppedFromChat, ArmStop.Admin, time.GetUtcNow()), cancellationToken);
        return stoppedNow
            ? $"Stopped arm `{version}` of `{design.Id}`: its candidates get the baseline `{design.Baseline}` from their next turn, and they stay counted in `{version}`. The report shows the stop and that an admin made it."
            : string.Create(CultureInfo.InvariantCulture, $"Arm `{version}` of `{design.Id}` was stopped already, at {stop.At:yyyy-MM-dd HH:mm} UTC by {stop.By} ({stop.Reason}); nothing changed.");
    }

    private string NoSuchExperiment(string experimentId)
    {
        var ids = reports?.Designs.Select(d => $"`{d.Id}`").ToList() ?? [];
        return ids.Count == 0
            ? $"There is no experiment `{experimentId}`: this bot declares none."
            : $"There is no experiment `{experimentId}`. The experiments are {string.Join(", ", ids)}.";
    }

    private static string Duration(TimeSpan lifetime) => lifetime switch
    {
        { TotalDays: >= 2 } when lifetime.Ticks % TimeSpan.TicksPerDay == 0 => Count((int)lifetime.TotalDays, "day"),
        { TotalHours: >= 1 } when lifetime.Ticks % TimeSpan.TicksPerHour == 0 => Count((int)lifetime.TotalHours, "hour"),
        _ => Count((int)Math.Ceiling(lifetime.TotalMinutes), "minute"),
    };

    private static string Count(int count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? string.Empty : "s")}");
}
