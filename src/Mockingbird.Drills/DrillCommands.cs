using System.Globalization;
using Mockingbird.Chat;

namespace Mockingbird.Drills;

/// <summary><c>drills</c>, <c>drills on [TIMEZONE]</c> and <c>drills off</c>: each reply is for the candidate alone.</summary>
/// <param name="platform">Absent while the bot's platform cannot send drills: then nobody is signed up for drills that would never come.</param>
public sealed class DrillCommands(DrillPlans plans, TimeProvider time, IDrillPlatform? platform = null) : IDrillCommands
{
    public const string NotAvailable = "Drills are not available on this bot yet: it cannot send them by direct message here.";

    public async Task<string> RunAsync(ChatRequest request, ChatCommand.Drills command, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        if (platform is null && command.On is not false)
        {
            return NotAvailable;
        }

        switch (command.On)
        {
            case null:
                var found = await plans.FindAsync(request.CandidateId, cancellationToken);
                return found is { On: true } ? State(found, now) : Off(commandName);
            case true:
                var history = await plans.HistoryAsync(request.CandidateId, cancellationToken);
                var on = await plans.UpdateAsync(
                    request.CandidateId,
                    plan => DrillSchedule.Refresh(plan with { On = true, TimeZone = command.TimeZone ?? plan.TimeZone }, history, now),
                    now,
                    cancellationToken);
                return $"Drills are on.\n{State(on, now)}\n`{commandName} drills off` stops them at any time.";
            default:
                var wasOn = false;
                await plans.UpdateAsync(
                    request.CandidateId,
                    plan =>
                    {
                        wasOn = plan.On;
                        return plan.On ? plan with { On = false } : null;
                    },
                    now,
                    cancellationToken);
                return wasOn
                    ? $"Drills are off: no more will come, not even one already due. `{commandName} drills on` starts them again where you left off."
                    : "Drills were off already; nothing changed.";
        }
    }

    private static string Off(string commandName) =>
        $"Drills are off. `{commandName} drills on [TIMEZONE]` sends you short questions by direct message on your weakest rubric dimensions, " +
        $"each coming back 1, 3, 7 and then 14 days after the last (sooner after a weak answer), never between {QuietHours.Begin:HH\\:mm} and {QuietHours.End:HH\\:mm} in your time zone (an IANA name such as Europe/Berlin; UTC when none is given).";

    private static string State(DrillPlan plan, DateTimeOffset now)
    {
        var zone = QuietHours.Zone(plan.TimeZone);
        var quiet = $"Time zone {plan.TimeZone}: none arrive between {QuietHours.Begin:HH\\:mm} and {QuietHours.End:HH\\:mm} there.";
        var active = plan.Dimensions.Where(d => !d.Retired).OrderBy(d => d.DueAt).ToList();
        if (active.Count == 0)
        {
            return $"{quiet}\nNothing to drill yet: drills start a day after a finished interview scores a rubric dimension below {DrillSchedule.DrillBelow.ToString("0.#", CultureInfo.InvariantCulture)} of 4.";
        }

        var next = DrillSchedule.NextDue(plan, now)!.Value;
        var local = TimeZoneInfo.ConvertTime(next, zone).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
        var drilled = string.Join(", ", active.Select(d => $"{d.Dimension} (every {DrillSchedule.Intervals[d.Step].TotalDays:0} day{(d.Step == 0 ? string.Empty : "s")})"));
        return $"{quiet}\nNext drill: {local}, on {active[0].Dimension}.\nDrilling: {drilled}.";
    }
}
