using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills;

/// <summary>
/// Reads and changes candidates' drill plans against the store's versions: a change made on a plan someone saved in
/// the meantime is made again on the newer one, so turning drills off is never undone by a replica sending a drill.
/// </summary>
public sealed class DrillPlans(IDrillStore store, ISessionStore sessions)
{
    private const int Attempts = 5;

    public Task<DrillPlan?> FindAsync(string candidateId, CancellationToken cancellationToken) => store.FindAsync(candidateId, cancellationToken);

    /// <summary>The candidate's completed interviews, which say what to drill.</summary>
    public Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string candidateId, CancellationToken cancellationToken) => sessions.HistoryAsync(candidateId, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored plan (a new one when none) and saves it with its next due
    /// time; <paramref name="change"/> returns null to leave the plan as it is. Returns the plan as saved, or as found.
    /// </summary>
    public async Task<DrillPlan> UpdateAsync(string candidateId, Func<DrillPlan, DrillPlan?> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var found = await store.FindAsync(candidateId, cancellationToken);
            var current = found ?? DrillPlan.New(candidateId);
            if (change(current) is not { } changed)
            {
                return current;
            }

            if (await store.SaveAsync(changed, current.Version, DrillSchedule.NextDue(changed, now), cancellationToken))
            {
                return changed with { Version = current.Version + 1 };
            }

            if (attempt == Attempts)
            {
                throw new InvalidOperationException($"The drill plan changed under {Attempts} attempts in a row.");
            }
        }
    }
}
