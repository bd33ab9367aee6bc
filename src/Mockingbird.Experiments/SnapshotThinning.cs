namespace Mockingbird.Experiments;

/// <summary>
/// Which of an experiment's kept snapshots it can let go of, so that what it keeps, and what every look reads back,
/// stays bounded however long it runs: a year of hourly snapshots would be read by every replica every minute.
/// </summary>
public static class SnapshotThinning
{
    /// <summary>
    /// The moments of the snapshots to remove. Kept: every snapshot of the last <paramref name="everyLookFor"/>, the
    /// first of each UTC day before that (the charts' points), and the looks the always-valid test's replay rests on
    /// (<see cref="ExperimentReport.BearingLooks"/>), so the report's interval, p-value and decision read the same
    /// without the rest.
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> Surplus(ExperimentDesign design, IReadOnlyList<ExperimentSnapshot> kept, DateTimeOffset now, TimeSpan everyLookFor)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(kept);
        var ordered = kept.OrderBy(s => s.At).ToList();
        var keep = new HashSet<DateTimeOffset>(ExperimentReport.BearingLooks(design, ordered));
        keep.UnionWith(ordered.Where(s => now - s.At < everyLookFor).Select(s => s.At));
        keep.UnionWith(ordered.GroupBy(s => s.At.UtcDateTime.Date).Select(day => day.First().At));
        return [.. ordered.Select(s => s.At).Where(at => !keep.Contains(at)).Distinct()];
    }
}
