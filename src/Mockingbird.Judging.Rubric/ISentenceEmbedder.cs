namespace Mockingbird.Judging.Rubric;

/// <summary>Turns short texts into unit-length vectors whose dot product says how close their meanings are.</summary>
public interface ISentenceEmbedder
{
    /// <summary>The model's name, shown in the feedback's label.</summary>
    string ModelName { get; }

    /// <summary>One unit vector per text, or null when the model cannot be used (it failed to load).</summary>
    float[][]? TryEmbed(IReadOnlyList<string> texts, CancellationToken cancellationToken);

    /// <summary>
    /// Embedders of the same scope give a text the same vector, so what one embedded another need not embed again:
    /// by default each embedder is a scope of its own.
    /// </summary>
    object VectorsScope => this;
}
