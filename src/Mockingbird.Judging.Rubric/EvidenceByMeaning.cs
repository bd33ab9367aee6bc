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

    public EvidenceByMeaning(ISentenceEmbedder embedder, float threshold)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        this.embedder = embedder;
        Threshold = threshold;
    }

    /// <summary>The model <see cref="CalibratedThreshold"/> knows: all-MiniLM-L6-v2.</summary>
    public const string MiniLmL6V2 = "all-MiniLM-L6-v2";

    /// <summary>With the threshold calibrated for the model on the eval set (see the eval command).</summary>
    public static EvidenceByMeaning Calibrated(ISentenceEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EvidenceByMeaning(embedder, CalibratedThreshold(embedder.ModelName));
    }

    /// <summary>
    /// Chosen from a sweep on the eval set (<c>tests/benchmark.sh judge --sweep</c>): for all-MiniLM-L6-v2, matching
    /// clauses for the points phrases left uncredited, every threshold from 0.34 to 0.46 keeps every strong answer above
    /// its weak one with κ 0.75 to 0.80 and 89% to 94% of paraphrases above their weak answer; this is near the middle of
    /// that range, so a rewording in the bank or the set does not tip it over an edge. Another model needs its own sweep.
    /// </summary>
    public static float CalibratedThreshold(string modelName) => modelName switch
    {
        MiniLmL6V2 => 0.38f,
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
    internal bool[][]? Match(IReadOnlyList<RubricPoint> rubric, IReadOnlyList<Sentence> sentences, IReadOnlyList<bool> eligible, CancellationToken cancellationToken)
    {
        var queries = new float[rubric.Count][][];
        for (var p = 0; p < rubric.Count; p++)
        {
            if (!pointVectors.TryGetValue(rubric[p].Text, out var vectors))
            {
                vectors = embedder.TryEmbed(QueriesFor(rubric[p]), cancellationToken);
                if (vectors is null)
                {
                    return null;
                }

                vectors = [.. vectors.Select(Normalised)];
                pointVectors.TryAdd(rubric[p].Text, vectors);
            }

            queries[p] = vectors;
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

        for (var s = 0; s < spans.Count; s++)
        {
            var span = Normalised(spanVectors[s]);
            for (var p = 0; p < rubric.Count; p++)
            {
                if (!matched[p][spans[s].Sentence] && queries[p].Any(q => Dot(q, span) >= Threshold))
                {
                    matched[p][spans[s].Sentence] = true;
                }
            }
        }

        return matched;
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
