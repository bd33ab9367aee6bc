using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Points' vectors by embedder scope, for the whole process: the bank's points take seconds to embed, and every
    /// judge of the same model in the process would otherwise embed them again.
    /// </summary>
    private static readonly ConditionalWeakTable<object, ConcurrentDictionary<string, float[][]>> SharedPointVectors = new();

    private readonly ConcurrentDictionary<string, float[][]> pointVectors;

    private readonly ConcurrentDictionary<string, float[][][][]> elsewhereVectors = new(StringComparer.Ordinal);

    private readonly IReadOnlyList<Question> otherQuestions;

    public EvidenceByMeaning(ISentenceEmbedder embedder, float threshold, float margin = 0f, IReadOnlyList<Question>? otherQuestions = null, float elsewhereMargin = 0f)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        this.embedder = embedder;
        pointVectors = SharedPointVectors.GetValue(embedder.VectorsScope, _ => new(StringComparer.Ordinal));
        Threshold = threshold;
        Margin = margin;
        this.otherQuestions = otherQuestions ?? [];
        ElsewhereMargin = elsewhereMargin;
    }

    /// <summary>
    /// How much closer, on average over its clauses, an answer may come to another question of the stage than to its
    /// own: beyond that it reads as an answer to that question, and nothing is credited by meaning.
    /// </summary>
    public float ElsewhereMargin { get; }

    /// <summary>
    /// How far below a clause's closest point of the question another point may come and still be credited by it: none
    /// by default, so a clause credits only the point it is closest to. A clause about the query-key projections then
    /// no longer credits the causal mask too, merely for being near it.
    /// </summary>
    public float Margin { get; }

    /// <summary>The model <see cref="CalibratedThreshold"/> knows: all-MiniLM-L6-v2.</summary>
    public const string MiniLmL6V2 = "all-MiniLM-L6-v2";

    /// <summary>
    /// With the threshold calibrated for the model on the eval set (see the eval command) and, given the bank, the
    /// margin by which an answer may read closer to another question (<see cref="CalibratedElsewhereMargin"/>).
    /// </summary>
    public static EvidenceByMeaning Calibrated(ISentenceEmbedder embedder, IReadOnlyList<Question>? bank = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EvidenceByMeaning(embedder, CalibratedThreshold(embedder.ModelName), otherQuestions: bank, elsewhereMargin: CalibratedElsewhereMargin);
    }

    /// <summary>
    /// Chosen from the margin sweep (<c>tests/benchmark.sh judge --sweep</c>) at the calibrated threshold: anywhere from
    /// 0.10 to 0.18 a strong answer to another question earns what evidence phrases alone give it (8.4% of the rubric,
    /// not 23%) and no answer of the eval set scores lower; 0.15 sits inside that range, away from both ends.
    /// </summary>
    public const float CalibratedElsewhereMargin = 0.15f;

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
    /// Loads the model and embeds every point of the bank, which the first answer of each stage would otherwise wait
    /// for (a second or more); false when the model cannot load.
    /// </summary>
    internal bool Prepare(CancellationToken cancellationToken) =>
        IsAvailable(cancellationToken)
        && otherQuestions.SelectMany(question => question.Rubric).All(point => VectorsOf(point, cancellationToken) is not null)
        && otherQuestions.All(question => ElsewhereOf(question, cancellationToken) is not null);

    /// <summary>
    /// For each point, which of the <paramref name="eligible"/> sentences say it; null when the model cannot be used.
    /// Each point and each answer is embedded in a batch of its own, so the result never depends on what was judged before.
    /// </summary>
    /// <param name="question">
    /// Whose points are the rivals: a clause credits a point only when no other point of the question is much closer to
    /// it (see <see cref="Margin"/>), so a clause about one point does not also credit its neighbours. And an answer
    /// that reads as one to another question of the stage (see <see cref="ElsewhereMargin"/>) is credited nothing by
    /// meaning: clauses on that question's topic would otherwise earn the points of this one they come near.
    /// </param>
    /// <param name="followUp">
    /// An answer to a follow-up, which may lead anywhere near the question (and into another question's topic), so it
    /// is never taken for another question's answer.
    /// </param>
    internal bool[][]? Match(Question question, bool followUp, IReadOnlyList<RubricPoint> rubric, IReadOnlyList<Sentence> sentences, IReadOnlyList<bool> eligible, CancellationToken cancellationToken)
    {
        var rivals = question.Rubric;

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

        var clauseVectors = spanVectors.Select(Normalised).ToArray();
        if (!followUp && clauseVectors.Length >= FewestClausesToReadAsAnotherQuestion)
        {
            if (ElsewhereOf(question, cancellationToken) is not { } elsewhere)
            {
                return null;
            }

            if (ReadsAsAnotherQuestion(clauseVectors, rivalQueries, elsewhere))
            {
                return matched;
            }
        }

        var similarity = new float[rubric.Count];
        for (var s = 0; s < spans.Count; s++)
        {
            for (var p = 0; p < rubric.Count; p++)
            {
                similarity[p] = queries[p].Max(q => Dot(q, clauseVectors[s]));
            }

            var best = rivalQueries.Length == 0 ? similarity.Max() : Math.Max(similarity.Max(), rivalQueries.Max(r => r.Max(q => Dot(q, clauseVectors[s]))));
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

    /// <summary>
    /// An answer of fewer clauses than this is never taken for another question's: one or two clauses are not enough
    /// to average over, and one clause on a shared topic would decide it.
    /// </summary>
    private const int FewestClausesToReadAsAnotherQuestion = 3;

    /// <summary>
    /// Whether the clauses, taken together, are closer to another question of the stage than to this one by more than
    /// <see cref="ElsewhereMargin"/>: each question is scored by the mean, over the clauses, of the closest of its
    /// points, so one clause on a shared topic does not decide it, as it would clause by clause.
    /// </summary>
    private bool ReadsAsAnotherQuestion(float[][] clauses, float[][][] own, float[][][][] elsewhere)
    {
        if (elsewhere.Length == 0 || own.Length == 0)
        {
            return false;
        }

        var here = MeanClosest(clauses, own);
        return elsewhere.Any(other => MeanClosest(clauses, other) > here + ElsewhereMargin);

        static float MeanClosest(float[][] clauses, float[][][] points)
        {
            var sum = 0f;
            foreach (var clause in clauses)
            {
                var closest = float.NegativeInfinity;
                foreach (var point in points)
                {
                    foreach (var phrase in point)
                    {
                        closest = Math.Max(closest, Dot(phrase, clause));
                    }
                }

                sum += closest;
            }

            return sum / clauses.Length;
        }
    }

    /// <summary>The points of every other question of the stage, question by question.</summary>
    private float[][][][]? ElsewhereOf(Question question, CancellationToken cancellationToken)
    {
        if (elsewhereVectors.TryGetValue(question.Id, out var questions))
        {
            return questions;
        }

        var all = new List<float[][][]>();
        foreach (var other in otherQuestions.Where(q => q.Stage == question.Stage && q.Id != question.Id))
        {
            var points = new List<float[][]>();
            foreach (var point in other.Rubric)
            {
                if (VectorsOf(point, cancellationToken) is not { } found)
                {
                    return null;
                }

                points.Add(found);
            }

            all.Add([.. points]);
        }

        questions = [.. all];
        elsewhereVectors.TryAdd(question.Id, questions);
        return questions;
    }

    private float[][]? VectorsOf(RubricPoint point, CancellationToken cancellationToken)
    {
        // Known by its phrases, not its text: two questions may word a point alike and evidence it differently.
        var queries = QueriesFor(point);
        var key = string.Join('\n', queries);
        if (pointVectors.TryGetValue(key, out var vectors))
        {
            return vectors;
        }

        // The model encodes one batch at a time anyway, so holding this while it does costs nothing, and answers
        // judged at once (a backlog at start) wait for the point rather than each embedding it again.
        lock (pointVectors)
        {
            if (pointVectors.TryGetValue(key, out vectors))
            {
                return vectors;
            }

            vectors = embedder.TryEmbed(queries, cancellationToken);
            if (vectors is null)
            {
                return null;
            }

            vectors = [.. vectors.Select(Normalised)];
            pointVectors[key] = vectors;
            return vectors;
        }
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
