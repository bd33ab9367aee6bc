using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

/// <summary>
/// A replica's copy of the <see cref="ExperimentControl"/> (stopped arms, opted-out people) that
/// <see cref="ExperimentControlRefresher"/> keeps current. The prompt chooser's cache is one; a replica that serves no
/// experiments has none, and the refresher then has nothing to do.
/// </summary>
public interface IExperimentControlRefresh
{
    /// <summary>Until a refresh succeeds, the copy serves everyone the baseline and counts nobody (<see cref="ExperimentControlCache.RequireRead"/>).</summary>
    void RequireRead();

    /// <summary>Reads the control from the store and keeps it; a failure throws and leaves the copy as it was.</summary>
    Task RefreshAsync(IExperimentStore store, CancellationToken cancellationToken);
}

/// <summary>The prompt chooser's copy, when the LLM judge registered one; without it there is nothing to keep current.</summary>
internal sealed class PromptChoiceControl(ExperimentControlCache? cache) : IExperimentControlRefresh
{
    public void RequireRead() => cache?.RequireRead();

    public Task RefreshAsync(IExperimentStore store, CancellationToken cancellationToken) =>
        cache?.RefreshAsync(store, cancellationToken) ?? Task.CompletedTask;
}
