using System.Collections.Concurrent;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>
/// Credits a rubric point said in other words. Each evidence phrase of a point is a query, and each explanatory
/// sentence of the answer is cut into clauses; a sentence says the point when one of its clauses comes within
/// <see cref="Threshold"/> cosine of one of the point's phrases. Whole compound points make poor queries (a clause of an
/// answer only ever says a part of one), and on the eval set adding the point's own clauses as queries narrowed the
/// range of thresholds that keep every strong answer above its weak one. Whole sentences are not embedded beside their
/// clauses: on the eval set they changed no figure, and as the longest texts they cost the most.
/// </summary>
public sealed class EvidenceByMeaning
{
    /// <summary>A clause shorter than this says too little to stand for a point ("so it fails").</summary>
    private const int ShortestSpan = 4;

    private readonly ISentenceEmbedder embedder;

    private readonly ConcurrentDictionary<string, float[][]> pointVectors = new(StringComparer.Ordinal);

    public EvidenceByMeaning(ISentenceEmbedder embedder, float threshold, float margin = 0f)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        this.embedder = embedder;
        Threshold = threshold;
        Margin = margin;
    }

    /// <summary>
    /// How far below a clause's closest point of the question another point may come and still be credited by it: none
    /// by default, so a clause credits only the point it is closest to. A clause about the query-key projections then
    /// no longer credits the causal mask too, merely for being near it.
    /// </summary>
    public float Margin { get; }

    /// <summary>The model <see cref="CalibratedThreshold"/> knows: all-MiniLM-L6-v2.</summary>
    public const string MiniLmL6V2 = "all-MiniLM-L6-v2";

    /// <summary>With the threshold calibrated for the model on the eval set (see the eval command).</summary>
    public static EvidenceByMeaning Calibrated(ISentenceEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EvidenceByMeaning(embedder, CalibratedThreshold(embedder.ModelName));
    }

    /// <summary>
    /// Chosen from a sweep (<c>tests/benchmark.sh judge --sweep</c>) of two measures that pull apart: the eval set, where a
    /// looser match keeps more paraphrases above their weak answer, and the distractors (<c>Distractors</c>), where it
    /// credits more for answers to other questions. For all-MiniLM-L6-v2, each clause crediting only its closest point,
    /// 0.42 keeps every strong answer above its weak one with κ 0.80 and 94% of paraphrases above their weak answer, as
    /// 0.38 did before clauses were held to their closest point, while an answer to another question earns about a
    /// quarter of the rubric rather than over a third. Another model needs its own sweep.
    /// </summary>
    public static float CalibratedThreshold(string modelName) => modelName switch
    {
        MiniLmL6V2 => 0.42f,
        _ => throw new ArgumentException($"No threshold has been calibrated for {modelName}: sweep it on the eval set first.", nameof(modelName)),
    };

    public string ModelName => embedder.ModelName;

    public float Threshold { get; }

    /// <summary>Whether the model can be used, loading it if it has not been (false when it cannot load).</summary>
    internal bool IsAvailable(CancellationToken cancellationToken) => embedder.TryEmbed([], cancellationToken) is not null;

    /// <summary>
    /// For each point, which of the <paramref name="eligible"/> sentences say it; null when the model cannot be used.
    /// Each point and each answer is embedded in a batch of its own, so the result never depends on what was judged before.
    /// </summary>
    /// <param name="rivals">
    /// Every point of the question: a clause credits a point only when no rival is much closer to it (see
    /// <see cref="Margin"/>), so a clause about one point does not also credit its neighbours.
    /// </param>
    internal bool[][]? Match(IReadOnlyList<RubricPoint> rubric, IReadOnlyList<RubricPoint> rivals, IReadOnlyList<Sentence> sentences, IReadOnlyList<bool> eligible, CancellationToken cancellationToken)
    {
        var queries = new float[rubric.Count][][];
        for (var p = 0; p < rubric.Count; p++)
        {
            if (VectorsOf(rubric[p], cancellationToken) is not { } vectors)
            {
                return null;
            }

            queries[p] = vectors;
        }

        var rivalQueries = new float[rivals.Count][][];
        for (var r = 0; r < rivals.Count; r++)
        {
            if (VectorsOf(rivals[r], cancellationToken) is not { } vectors)
            {
                return null;
            }

            rivalQueries[r] = vectors;
        }

        var spans = new List<(int Sentence, string Text)>();
        for (var i = 0; i < sentences.Count; i++)
        {
            if (eligible[i])
            {
                spans.AddRange(SpansOf(sentences[i]).Select(text => (i, text)));
            }
        }

        var matched = rubric.Select(_ => new bool[sentences.Count]).ToArray();
        if (spans.Count == 0)
        {
            return matched;
        }

        var spanVectors = embedder.TryEmbed([.. spans.Select(s => s.Text)], cancellationToken);
        if (spanVectors is null)
        {
            return null;
        }

        var similarity = new float[rubric.Count];
        for (var s = 0; s < spans.Count; s++)
        {
            var span = Normalised(spanVectors[s]);
            for (var p = 0; p < rubric.Count; p++)
            {
                similarity[p] = queries[p].Max(q => Dot(q, span));
            }

            var best = rivalQueries.Length == 0 ? similarity.Max() : Math.Max(similarity.Max(), rivalQueries.Max(r => r.Max(q => Dot(q, span))));
            for (var p = 0; p < rubric.Count; p++)
            {
                if (similarity[p] >= Threshold && similarity[p] >= best - Margin)
                {
                    matched[p][spans[s].Sentence] = true;
                }
            }
        }

        return matched;
    }

    private float[][]? VectorsOf(RubricPoint point, CancellationToken cancellationToken)
    {
        if (pointVectors.TryGetValue(point.Text, out var vectors))
        {
            return vectors;
        }

        vectors = embedder.TryEmbed(QueriesFor(point), cancellationToken);
        if (vectors is null)
        {
            return null;
        }

        vectors = [.. vectors.Select(Normalised)];
        pointVectors.TryAdd(point.Text, vectors);
        return vectors;
    }

    private static List<string> QueriesFor(RubricPoint point) => [.. point.Evidence.Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// Each clause long enough to say something, or the whole sentence when none is; never a clause that dismisses
    /// what it names, whose meaning is close to the idea it rejects.
    /// </summary>
    private static List<string> SpansOf(Sentence sentence)
    {
        var clauses = sentence.Clauses.Where((c, i) => !sentence.ClauseDismisses[i] && AnswerText.Words(c).Count >= ShortestSpan).ToList();
        return clauses.Count > 0 || sentence.ClauseDismisses.Contains(true) ? clauses : [sentence.Text];
    }

    private static float[] Normalised(float[] vector)
    {
        var norm = MathF.Sqrt(Dot(vector, vector));
        return norm is 0 or 1 ? vector : [.. vector.Select(v => v / norm)];
    }

    private static float Dot(float[] a, float[] b)
    {
        var sum = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
