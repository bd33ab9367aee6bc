using System.Globalization;

namespace Mockingbird.Experiments;

/// <summary>The experiments declared in <c>experiments.yaml</c> that this bot runs.</summary>
public interface IExperimentCatalog
{
    IReadOnlyList<ExperimentDesign> Designs { get; }
}

/// <summary>Builds experiment reports from what the store has recorded: the one source chat, CLI and web page read.</summary>
public sealed class ExperimentReports(IExperimentCatalog catalog, IExperimentStore store, IReadOnlyDictionary<string, ModelPrice> prices, TimeProvider time)
{
    public IReadOnlyList<ExperimentDesign> Designs => catalog.Designs;

    public ExperimentDesign? Find(string experimentId) => catalog.Designs.FirstOrDefault(d => d.Id == experimentId);

    /// <returns>Null when no experiment has that id.</returns>
    public async Task<ExperimentReport?> ReportAsync(string experimentId, CancellationToken cancellationToken)
    {
        if (Find(experimentId) is not { } design)
            return null;

        // The kept looks are read before the counts, so the counts are at least those of every look read; and the
        // moment sorts after them all, even when another host's clock is ahead. A look kept out of order with larger
        // counts would otherwise make every later replay skip this one.
        var history = await store.SnapshotsAsync(design.Id, cancellationToken);
        var pinned = await store.PinnedTestSettingsAsync(design.Id, cancellationToken) is { } text ? SequentialTestSettings.Parse(text) : null;

        // Nothing kept yet (no look has run) or something unreadable kept: the file's own settings are the ones to use.
        var tested = pinned is null ? design : design.With(pinned);
        var control = await store.ControlAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (history.Count > 0 && history.Max(s => s.At) is var latest && latest >= now)
            now = latest.AddTicks(1);
        var metrics = await store.MetricsAsync(design.Id, now, cancellationToken);
        var report = ExperimentReport.Build(tested, metrics, history, control, prices, now);
        if (pinned is not null && !pinned.SameTestAs(design.TestSettings))
            report = report with { EditedTestSettings = design.TestSettings };
        if (!report.MomentDecides)
            return report;

        try
        {
            // A slot of its own beside the periodic ones: the decision shown now must be the one every later report replays.
            await store.AddSnapshotAsync(design.Id, MomentSlot(now), report.History[^1], cancellationToken);
            return report;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A store that reads but cannot write (full, read-only, failing over) still gets its report, marked.
            return report with { MomentNotKept = true };
        }
    }

    /// <summary>The slot of a look kept because it decided something; periodic slots are 12 digits, these 17.</summary>
    private static string MomentSlot(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<ExperimentReport>> AllAsync(CancellationToken cancellationToken)
    {
        var reports = new List<ExperimentReport>();
        foreach (var design in catalog.Designs)
            reports.Add((await ReportAsync(design.Id, cancellationToken))!);
        return reports;
    }
}
