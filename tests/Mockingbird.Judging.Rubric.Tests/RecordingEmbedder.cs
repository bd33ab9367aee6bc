using System.Collections.Concurrent;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>A model that finds every text close to every other, and remembers what it was asked to embed.</summary>
/// <param name="scope">Shared with other embedders said to give the same vectors; this one alone when not given.</param>
internal sealed class RecordingEmbedder(object? scope = null) : ISentenceEmbedder
{
    public object VectorsScope => scope ?? this;

    public ConcurrentQueue<IReadOnlyList<string>> Calls { get; } = new();

    public IEnumerable<string> Embedded => Calls.SelectMany(c => c);

    public string ModelName => EvidenceByMeaning.MiniLmL6V2;

    public float[][]? TryEmbed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Calls.Enqueue([.. texts]);
        return [.. texts.Select(_ => (float[])[1f, 0f])];
    }
}
