namespace Mockingbird.Experiments;

/// <summary>
/// Where experiments keep what their arms did, the arms stopped and who opted out. Every replica writes to it and
/// reads the same answers from it. Recording is idempotent (each observation names itself) and a stop is taken
/// exactly once, whichever replicas race for it.
/// </summary>
public interface IExperimentStore
{
    Task RecordAsync(JudgedTurn turn, CancellationToken cancellationToken);

    Task RecordAsync(ArmVote vote, CancellationToken cancellationToken);

    Task RecordAsync(InterviewStep interviewStep, CancellationToken cancellationToken);

    /// <summary>Each arm's metrics now; arms nothing was recorded for yet are left out.</summary>
    Task<IReadOnlyList<ArmMetrics>> MetricsAsync(string experimentId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="snapshot"/> as the one for <paramref name="slot"/> (an hour, say) unless a replica already did.</summary>
    /// <returns>True when this call kept it.</returns>
    Task<bool> AddSnapshotAsync(string experimentId, string slot, ExperimentSnapshot snapshot, CancellationToken cancellationToken);

    /// <summary>The snapshots kept, oldest first.</summary>
    Task<IReadOnlyList<ExperimentSnapshot>> SnapshotsAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>Removes the kept snapshots taken at any of <paramref name="takenAt"/>, whatever their slots.</summary>
    /// <returns>How many went.</returns>
    Task<int> RemoveSnapshotsAsync(string experimentId, IReadOnlyCollection<DateTimeOffset> takenAt, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps <paramref name="allocation"/> (<see cref="ExperimentDesign.Allocation"/>) as the one the experiment runs
    /// with, unless one is kept already: which arm the hash gives a candidate depends on it, so it must not change
    /// while the experiment runs.
    /// </summary>
    /// <returns>The allocation kept: this one, or the one kept first.</returns>
    Task<string> PinAllocationAsync(string experimentId, string allocation, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps <paramref name="baseline"/> as the version the experiment's challengers are compared with, unless one is
    /// kept already: every comparison, and what stopped arms are served, depends on it.
    /// </summary>
    /// <returns>The baseline kept: this one, or the one kept first.</returns>
    Task<string> PinBaselineAsync(string experimentId, string baseline, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps <paramref name="settings"/> (<see cref="SequentialTestSettings.Format"/>) as the ones the experiment's test
    /// runs with, unless some are kept already: the test's guarantee holds only for the α, δ and τ² it started with.
    /// </summary>
    /// <returns>The settings kept: these, or the ones kept first.</returns>
    Task<string> PinTestSettingsAsync(string experimentId, string settings, CancellationToken cancellationToken);

    /// <returns>The settings <see cref="PinTestSettingsAsync"/> kept, or null when none are yet.</returns>
    Task<string?> PinnedTestSettingsAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>
    /// Notes that <paramref name="declared"/> are declared at <paramref name="now"/> (every replica's guard says so each
    /// look) and returns the experiments the store keeps anything of that no replica has declared for longer than
    /// <paramref name="keepFor"/>. An experiment never noted before starts its count now.
    /// </summary>
    Task<IReadOnlyList<string>> EndedAsync(IReadOnlyCollection<string> declared, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes everything kept of an experiment <see cref="EndedAsync"/> found ended, unless a replica has declared it
    /// since: its sums, observations, snapshots, pins and stops. What it recorded of a person goes with it; an opt-out
    /// does not, since it is the person's instruction for every experiment.
    /// </summary>
    /// <returns>How many records went: none when it was declared again, or another replica deleted it first.</returns>
    Task<int> DeleteEndedAsync(string experimentId, DateTimeOffset now, TimeSpan keepFor, CancellationToken cancellationToken);

    /// <summary>Stops an arm unless it is stopped already.</summary>
    /// <returns>The stop that holds — this one, or the one that came first — and whether this call made it.</returns>
    Task<(ArmStop Stop, bool StoppedNow)> StopAsync(ArmStop armStop, CancellationToken cancellationToken);

    Task<ExperimentControl> ControlAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Calls <paramref name="changed"/> soon after any replica stops an arm or a person opts in or out, so a replica
    /// can refresh its <see cref="ExperimentControl"/> at once rather than on its next timed refresh. A missed signal
    /// (a dropped connection) only delays a refresh to that timer. Dispose the result to stop listening.
    /// </summary>
    Task<IAsyncDisposable> OnControlChangedAsync(Action changed, CancellationToken cancellationToken);

    /// <returns>True when this changed the person's choice.</returns>
    Task<bool> SetOptedOutAsync(string personId, bool optedOut, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes what is kept about the person — their votes and their interviews' steps — and recounts the arms without
    /// them. A stop recorded with their id as its maker (stops made before stops named no one) is kept and names
    /// <see cref="ArmStop.Admin"/> instead. Sums with no person in them (tokens, latencies) stay, and so does an opt-out:
    /// it is their instruction.
    /// </summary>
    /// <returns>How many records went or were changed.</returns>
    Task<int> ForgetAsync(string personId, CancellationToken cancellationToken);
}
