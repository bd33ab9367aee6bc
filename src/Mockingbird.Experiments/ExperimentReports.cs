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
        var now = time.GetUtcNow();
        var metrics = await store.MetricsAsync(design.Id, now, cancellationToken);
        var history = await store.SnapshotsAsync(design.Id, cancellationToken);
        var control = await store.ControlAsync(cancellationToken);
        return ExperimentReport.Build(design, metrics, history, control, prices, now);
    }

    public async Task<IReadOnlyList<ExperimentReport>> AllAsync(CancellationToken cancellationToken)
    {
        var reports = new List<ExperimentReport>();
        foreach (var design in catalog.Designs)
            reports.Add((await ReportAsync(design.Id, cancellationToken))!);
        return reports;
    }
}
