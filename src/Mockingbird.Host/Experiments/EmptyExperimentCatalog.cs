using Mockingbird.Experiments;

namespace Mockingbird.Host.Experiments;

/// <summary>No experiments: the catalog when nothing declares any (no LLM judge, or no <c>experiments.yaml</c>).</summary>
public sealed class EmptyExperimentCatalog : IExperimentCatalog
{
    public IReadOnlyList<ExperimentDesign> Designs => [];
}
