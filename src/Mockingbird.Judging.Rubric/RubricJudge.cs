using System.Globalization;
using System.Runtime.CompilerServices;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>
/// The deterministic offline judge: checks which rubric points an answer evidences and how it is structured. It
/// cannot tell whether what the candidate says is true, and says so in its label. It is the default judge when no
/// LLM is configured and the fallback when the LLM fails.
/// </summary>
public sealed class RubricJudge : IAnswerJudge
{
    public const string JudgeName = "offline-rubric";

    /// <summary>The label when evidence phrases alone were matched (no embedding model, or it could not load).</summary>
    public const string JudgeLabel = "offline rubric check: coverage and structure, not correctness (evidence phrases only)";

    private readonly EvidenceByMeaning? meaning;

    /// <param name="meaning">Also credits points said in other words; without it, evidence phrases alone count.</param>
    public RubricJudge(EvidenceByMeaning? meaning = null)
    {
        this.meaning = meaning;
    }

    /// <summary>The label when points said in other words were credited too, naming the model that judged meaning.</summary>
    public static string JudgeLabelWithMeaning(string modelName) =>
        $"offline rubric check: coverage and structure, not correctness (evidence phrases and meaning, {modelName})";

    /// <summary>One sentence may evidence at most this many rubric points, so a single keyword-packed sentence cannot cover a rubric.</summary>
    private const int PointsPerSentence = 2;

    /// <summary>Scores are capped here when the answer tries to instruct the judge.</summary>
    private const int InjectionCap = 2;

    /// <summary>Whether any sentence of <paramref name="text"/> addresses a judge (used to vet LLM-written text too).</summary>
    public static bool AddressesTheJudge(string text) =>
        AnswerText.Split(text ?? string.Empty).Any(s => InjectionDetector.Inspect(s.Text) is not null);

    public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(Judge(request, meaning, cancellationToken));

    /// <summary>Whether this judge also matches points said in other words (the label of each feedback says whether it could).</summary>
    public bool MatchesByMeaning => meaning is not null;

    /// <summary>Loads the embedding model now, off the request path; nothing when the judge matches phrases alone.</summary>
    public void WarmUp(CancellationToken cancellationToken) => meaning?.IsAvailable(cancellationToken);

    /// <summary>
    /// Also embeds every point of the question bank, which the first answer of each stage would otherwise wait for
    /// (about 2 s of CPU for the theory stage): six seconds of one core in all, so only where someone is reading
    /// meanwhile, as in a practice run.
    /// </summary>
    public void PrepareBank(CancellationToken cancellationToken) => meaning?.Prepare(cancellationToken);

    /// <summary>Judges by the evidence phrases alone (no model).</summary>
    public static Feedback Judge(JudgeRequest request) => Judge(request, meaning: null, CancellationToken.None);

    private static Feedback Judge(JudgeRequest request, EvidenceByMeaning? meaning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var question = request.Question;
        var sentences = Read(request.Answer);
        var isFollowUp = request.FollowUp is not null;

        // A follow-up probes what the main answer left out, and the points it names in its own words: it is judged on
        // both (on any point, when the main answer covered every one and it names none). Its missed points are the
        // question's still missing, never one the candidate has said already: the engine reads what is covered so far
        // from the latest judged answer's missed points.
        var alreadyCovered = request.AlreadyCovered ?? [];
        IReadOnlyList<RubricPoint> rubric = question.Rubric;
        if (isFollowUp)
        {
            var askedAbout = PointsAskedAbout(question, request.FollowUp!);
            var probed = question.Rubric.Where(p => !alreadyCovered.Contains(p.Text) || askedAbout.Contains(p)).ToList();
            rubric = probed.Count > 0 ? probed : question.Rubric;
        }

        var mistakes = StatedMistakes(rubric, sentences);
        var asked = isFollowUp ? $"{question.Prompt} {request.FollowUp}" : question.Prompt;

        // The question's own words are on the candidate's screen: saying them back says nothing of one's own.
        var shown = AnswerText.Words(asked).Select(WordStems.Of).ToHashSet(StringComparer.Ordinal);
        var (coverage, byMeaning) = Coverage(question, isFollowUp, rubric, shown, sentences, mistakes, questionsEarn: question.Stage == Stage.QuestionsToAsk && !isFollowUp, meaning, cancellationToken);
        IReadOnlyList<RubricPoint> missed = isFollowUp ? [.. coverage.Missed.Where(p => !alreadyCovered.Contains(p.Text))] : coverage.Missed;

        // A sentence said again word for word is counted once: sixty copies of one trade-off are one trade-off.
        var said = sentences.DistinctBy(s => s.Said, StringComparer.Ordinal).ToList();
        var reasoning = new Reasoning(coverage, TopicOf(question, request.FollowUp), shown);
        List<DimensionScore> dimensions = isFollowUp
            ? FollowUpDimensions(said, reasoning)
            : question.Stage switch
            {
                Stage.Behavioral => BehavioralDimensions(said, coverage),
                Stage.Design => DesignDimensions(question, said, coverage),
                Stage.QuestionsToAsk => QuestionsToAskDimensions(said, coverage),
                Stage.MlCoding => CodingDimensions(said, reasoning),
                _ => TheoryDimensions(said, reasoning),
            };

        dimensions = Lowered(dimensions, question, isFollowUp, mistakes);
        var flags = new List<string>();
        flags.AddRange(mistakes.Select(m => $"{MistakeFlagOpening} \"{AnswerText.Quote(sentences[m.Sentence].Text, 120)}\" reads as a common mistake. {m.Point.Mistake!.Correction}"));
        var issued = sentences.Where(s => s.Injection is { Quoted: false }).ToList();
        flags.AddRange(AttemptFlags(sentences.Where(s => s.Injection is { Continues: false }).GroupBy(s => s.Injection!.Quoted)));

        if (issued.Count > 0)
        {
            dimensions = [.. dimensions.Select(d => d.Score > InjectionCap
                ? d with { Score = InjectionCap, Rationale = $"{d.Rationale} Capped at {InjectionCap}: the answer tries to instruct the judge." }
                : d)];
        }

        var total = Math.Round(dimensions.Average(d => d.Score), 1, MidpointRounding.AwayFromZero);
        return new Feedback(
            question.Id,
            JudgeName,
            byMeaning ? JudgeLabelWithMeaning(meaning!.ModelName) : JudgeLabel,
            dimensions,
            [.. coverage.Covered.Select(c => new CoveredPoint(c.Point.Text, c.Quote))],
            [.. missed.Select(p => p.Text)],
            total,
            DeliveryInsights.For(question.Stage, request.Answer, sentences, coverage.Unexplained, coverage.Crowded, isFollowUp),
            flags,
            mistakes.Count > 0
                ? $"Fix the mistake first: {mistakes[0].Point.Mistake!.Correction} Then say it again in your own words, with the reason."
                : NextDrill(question, dimensions, coverage with { Missed = missed }),
            Source: new FeedbackSource(JudgeName));
    }

    /// <summary>
    /// One line for the attempts to instruct the judge that were issued and one for those quoted, however many there
    /// are: five lines saying the same thing bury the feedback, and the first attempt shows what was found.
    /// </summary>
    private static IEnumerable<string> AttemptFlags(IEnumerable<IGrouping<bool, Sentence>> attemptsByQuoted) =>
        attemptsByQuoted.OrderBy(group => group.Key).Select(group =>
        {
            var attempts = group.ToList();
            var how = group.Key ? "quoted; not credited" : "ignored, and scores capped at 2";
            var kinds = string.Join(", ", attempts.Select(s => s.Injection!.Kind).Distinct(StringComparer.Ordinal));
            var first = AnswerText.Quote(attempts[0].Text, 120);
            return attempts.Count == 1
                ? $"Text that addresses the judge ({kinds}) was {how}: \"{first}\""
                : string.Create(CultureInfo.InvariantCulture, $"Text that addresses the judge ({kinds}) was {how}, in {attempts.Count} places; the first: \"{first}\"");
        });

    private const string MistakeFlagOpening = "Check this:";

    /// <summary>Whether a flag is this judge's note of a common mistake (an LLM judging correctness itself leaves these out).</summary>
    public static bool FlagsAMistake(string flag) => flag.StartsWith(MistakeFlagOpening, StringComparison.Ordinal);

    private sealed record StatedMistake(RubricPoint Point, int Sentence);

    /// <summary>
    /// The judged points whose common mistake the answer states, each with the first sentence that states it. Such a
    /// point earns nothing in this answer, whatever else it says, and the sentence credits no other point.
    /// </summary>
    private static List<StatedMistake> StatedMistakes(IReadOnlyList<RubricPoint> rubric, List<Sentence> sentences)
    {
        var stated = new List<StatedMistake>();
        foreach (var point in rubric.Where(p => p.Mistake is not null))
        {
            var patterns = point.Mistake!.Says.Select(p => new MistakePattern(p, point.Mistake.Unless)).ToList();
            var sentence = Enumerable.Range(0, sentences.Count)
                .FirstOrDefault(i => sentences[i].Injection is null && !TakenBackNext(i) && patterns.Any(p => p.IsStatedIn(sentences[i])), -1);
            if (sentence >= 0)
            {
                stated.Add(new StatedMistake(point, sentence));
            }
        }

        return stated;

        // "My first instinct was that prefill is memory bound. Actually it is compute bound…": told as a step on the way.
        bool TakenBackNext(int i) => i + 1 < sentences.Count && MistakePattern.TakesBack(sentences[i + 1]);
    }

    /// <summary>Each stated mistake lowers by one the dimension its point counts towards: naming a point wrongly is worse than leaving it out.</summary>
    private static List<DimensionScore> Lowered(List<DimensionScore> dimensions, Question question, bool isFollowUp, List<StatedMistake> mistakes)
    {
        foreach (var group in mistakes.GroupBy(m => !isFollowUp && question.Stage == Stage.Design && m.Point.Dimension is { } d ? d.ToWire() : dimensions[0].Name))
        {
            var index = dimensions.FindIndex(d => d.Name == group.Key);
            if (index < 0)
            {
                continue;
            }

            var dimension = dimensions[index];
            var count = group.Count();
            dimensions[index] = dimension with
            {
                Score = Math.Max(1, dimension.Score - count),
                Rationale = $"{dimension.Rationale} Lowered: {(count == 1 ? "a statement reads" : $"{count} statements read")} as a common mistake.",
            };
        }

        return dimensions;
    }

    /// <summary>
    /// The rubric points a follow-up question names itself, by an evidence phrase of two or more content words (a single
    /// word such as "pm" is too common in a question to say which point it is about).
    /// </summary>
    private static List<RubricPoint> PointsAskedAbout(Question question, string followUp)
    {
        var asked = Read(followUp);
        return [.. question.Rubric.Where(point => point.Evidence
            .Select(e => new EvidencePhrase(e))
            .Any(phrase => phrase.ContentWords >= 2 && asked.Any(phrase.IsFoundIn)))];
    }

    /// <summary>
    /// Splits the answer and marks the sentences that address the judge. What follows an unquoted attempt in the same
    /// paragraph (bullets included, up to the next blank line) is its payload ("…so judge this version instead: …"), and
    /// earns nothing either.
    /// </summary>
    private static List<Sentence> Read(string answer)
    {
        var sentences = new List<Sentence>();
        InjectionAttempt? open = null;
        var openParagraph = -1;
        foreach (var sentence in AnswerText.Split(answer))
        {
            var attempt = InjectionDetector.Inspect(sentence.Text);
            if (attempt is null && open is not null && openParagraph == sentence.Paragraph)
            {
                attempt = open with { Continues = true };
            }

            if (attempt is { Quoted: false, Continues: false })
            {
                (open, openParagraph) = (attempt, sentence.Paragraph);
            }

            sentences.Add(sentence with { Injection = attempt });
        }

        return sentences;
    }

    private sealed record Credit(RubricPoint Point, string Quote, Sentence Sentence);

    /// <param name="Unexplained">Phrases of missed points that the answer named only outside an explanation.</param>
    /// <param name="Crowded">Missed points that were explained, but only in sentences already credited twice.</param>
    private sealed record CoverageResult(IReadOnlyList<Credit> Covered, IReadOnlyList<RubricPoint> Missed, IReadOnlyList<string> Unexplained, int Crowded)
    {
        public int Total => Covered.Count + Missed.Count;

        /// <summary>Whether the sentence earned a rubric point.</summary>
        public bool Credits(Sentence sentence) => Covered.Any(c => ReferenceEquals(c.Sentence, sentence));
    }

    /// <summary>Content words a sentence needs beyond the rubric phrases it uses, so a phrase wrapped in "because it matters" earns nothing.</summary>
    private const int SubstanceWords = 3;

    /// <summary>
    /// Credits rubric points to explanatory sentences that use one of their phrases, each sentence crediting at most
    /// <see cref="PointsPerSentence"/> points. The assignment is a maximum matching, so the order of sentences
    /// never changes how many points an answer earns; the sentence quoted for a point is the one that names most of it,
    /// then the earliest.
    /// </summary>
    /// <param name="questionsEarn">
    /// In the questions-to-ask stage a question is the substance: "What have you already tried against it?" evidences a
    /// point without a "because". A question is still a clause, so a bare list of terms earns nothing there either.
    /// </param>
    /// <returns>The coverage, and whether meaning was matched as well as phrases (false when the model is unavailable).</returns>
    private static (CoverageResult Coverage, bool ByMeaning) Coverage(
        Question question,
        bool followUp,
        IReadOnlyList<RubricPoint> rubric,
        HashSet<string> shown,
        List<Sentence> sentences,
        List<StatedMistake> mistakes,
        bool questionsEarn,
        EvidenceByMeaning? meaning,
        CancellationToken cancellationToken)
    {
        var allPoints = question.Rubric;
        var phrases = rubric.Select(p => p.Evidence.Select(e => new EvidencePhrase(e)).Where(e => !e.IsEmpty).ToList()).ToList();
        var allPhraseWords = allPoints.SelectMany(p => p.Evidence).Select(AnswerText.Words).Where(w => w.Count > 0).ToList();


        // A sentence said again word for word earns nothing more: three copies of one note are not three notes' slots.
        var said = new HashSet<string>(StringComparer.Ordinal);
        var eligible = sentences.Select((s, i) => said.Add(s.Said)
            && (s.Earns || (questionsEarn && IsRealQuestion(s))) && (s.IsPlainStatement || (HasSubstance(s, allPhraseWords) && SaysMoreThanTheQuestion(s, shown))) && !mistakes.Exists(m => m.Sentence == i)).ToList();
        var contradicted = mistakes.Select(m => m.Point).ToHashSet();
        var about = rubric.Select(point => WordsAbout(point, shown)).ToList();

        // A statement's own words about a point are those no evidence phrase of the question names: in "draft model and
        // target model and acceptance rate are the main things" every word is a name, whichever point it belongs to.
        var allPhrases = allPoints.SelectMany(p => p.Evidence).Select(e => new EvidencePhrase(e)).Where(e => !e.IsEmpty).ToList();
        var named = sentences.Select(s => s.IsPlainStatement ? [.. allPhrases.Where(phrase => phrase.IsFoundIn(s)).SelectMany(phrase => phrase.Stems)] : new HashSet<string>(StringComparer.Ordinal)).ToList();
        bool SaysEnoughAbout(int sentence, int point) =>
            !sentences[sentence].IsPlainStatement || StatementSaysMoreThanItsName(sentences[sentence], about[point], named[sentence]);

        // A point's sentences are tried strongest first (the most distinct words of its phrases, so that "overfit" and
        // "overfitting" count once; then the answer's order), so that when the matching has a choice the sentence quoted
        // as evidence is the one that says the point, not a neighbour that shares one of its words.
        var candidates = rubric.Select((point, p) => Enumerable.Range(0, sentences.Count)
            .Where(i => eligible[i] && !contradicted.Contains(point) && SaysEnoughAbout(i, p))
            .Select(i => (Sentence: i, Words: phrases[p].Where(phrase => phrase.IsFoundIn(sentences[i])).SelectMany(phrase => phrase.Stems).Distinct(StringComparer.Ordinal).Count()))
            .Where(found => found.Words > 0)
            .OrderByDescending(found => found.Words)
            .Select(found => found.Sentence)
            .ToList()).ToList();
        var assigned = Match(candidates, sentences.Count);
        var byMeaning = false;
        if (meaning is not null)
        {
            // Meaning is sought only for the points phrases left uncredited, and only when there are some: embedding
            // is what costs, and a point already credited cannot be credited twice.
            var open = Enumerable.Range(0, rubric.Count).Where(p => assigned[p] is null && !contradicted.Contains(rubric[p])).ToList();
            if (open.Count == 0 || !eligible.Contains(true))
            {
                byMeaning = meaning.IsAvailable(cancellationToken);
            }
            else if (meaning.Match(question, followUp, [.. open.Select(p => rubric[p])], sentences, eligible, cancellationToken) is { } saidInOtherWords)
            {
                byMeaning = true;
                for (var o = 0; o < open.Count; o++)
                {
                    // Sentences with its phrases keep their strongest-first order; those that say it in other words follow.
                    candidates[open[o]] = [.. candidates[open[o]], .. Enumerable.Range(0, sentences.Count).Where(i => saidInOtherWords[o][i] && !candidates[open[o]].Contains(i) && SaysEnoughAbout(i, open[o]))];
                }

                assigned = Match(candidates, sentences.Count);
            }
        }

        var covered = new List<Credit>();
        var missed = new List<RubricPoint>();
        var unexplained = new List<string>();
        var crowded = 0;
        for (var p = 0; p < rubric.Count; p++)
        {
            if (assigned[p] is { } sentence)
            {
                covered.Add(new Credit(rubric[p], AnswerText.Quote(sentences[sentence].Text), sentences[sentence]));
                continue;
            }

            missed.Add(rubric[p]);
            if (candidates[p].Count > 0)
            {
                crowded++;
            }
            else if (!contradicted.Contains(rubric[p]) && rubric[p].Evidence.FirstOrDefault(e => sentences.Any(s => s.Injection is null && AnswerText.Contains(s.Words, AnswerText.Words(e)))) is { } mentioned)
            {
                unexplained.Add(mentioned);
            }
        }

        return (new CoverageResult(covered, missed, unexplained, crowded), byMeaning);
    }

    /// <summary>The content words of a point's own text that the question does not show: what it is about.</summary>
    private static HashSet<string> WordsAbout(RubricPoint point, HashSet<string> shown) =>
        [.. AnswerText.Words(point.Text).Where(w => !AnswerText.StopWords.Contains(w)).Select(WordStems.Of).Where(stem => !shown.Contains(stem))];

    /// <summary>Content words a plain statement shares with the point it credits, besides the phrases that name it.</summary>
    private const int StatementWordsAboutThePoint = 2;

    /// <summary>
    /// Whether a plain statement says something about the point beyond naming it: "draft model proposes k tokens, target
    /// verifies them in one forward pass" shares the point's own words besides its phrases, while "grouped-query
    /// attention comes up constantly in interviews" only names it, and a statement that gives no reason cannot otherwise
    /// be told apart from padding.
    /// </summary>
    private static bool StatementSaysMoreThanItsName(Sentence statement, HashSet<string> about, HashSet<string> named) =>
        statement.Stems
            .Where((stem, i) => !AnswerText.StopWords.Contains(statement.Words[i]) && !named.Contains(stem) && about.Contains(stem))
            .Distinct(StringComparer.Ordinal)
            .Count() >= StatementWordsAboutThePoint;

    private static bool IsRealQuestion(Sentence sentence) =>
        sentence.IsQuestion && !sentence.IsList && sentence.Injection is null && sentence.Words.Count >= 6;

    private static bool HasSubstance(Sentence sentence, List<List<string>> phraseWords)
    {
        var used = phraseWords.Where(p => AnswerText.Contains(sentence.Words, p)).SelectMany(p => p).ToHashSet(StringComparer.Ordinal);
        return sentence.Words.Count(w => !AnswerText.StopWords.Contains(w) && !used.Contains(w)) >= SubstanceWords;
    }

    /// <summary>Content words a sentence needs besides the question's own, so the question said back as an answer earns nothing.</summary>
    private const int WordsBeyondTheQuestion = 2;

    /// <summary>
    /// Whether a sentence says more than the question it answers: "the KV cache makes autoregressive decoding fast and
    /// becomes the memory bottleneck at long context" is the prompt said back, with a reason word that reads as
    /// explanation. The words of the rubric's phrases still count here, as they are what an answer adds.
    /// </summary>
    private static bool SaysMoreThanTheQuestion(Sentence sentence, HashSet<string> shown) =>
        sentence.Stems.Where((stem, i) => !AnswerText.StopWords.Contains(sentence.Words[i]) && !Connectives.Contains(sentence.Words[i]) && !Signals.IsGeneric(stem) && !shown.Contains(stem))
            .Distinct(StringComparer.Ordinal)
            .Count() >= WordsBeyondTheQuestion;

    /// <summary>Words that join what a sentence says without adding to it: "since" is not a word of one's own.</summary>
    private static readonly HashSet<string> Connectives = new(
        ["since", "while", "whereas", "unless", "then", "until", "once", "given", "via", "despite", "although", "though", "hence", "thus", "therefore", "instead", "rather"],
        StringComparer.Ordinal);

    /// <summary>Kuhn's augmenting paths over points and sentence slots (each sentence has two).</summary>
    private static int?[] Match(List<List<int>> candidates, int sentenceCount)
    {
        var slotOwner = new int?[sentenceCount * PointsPerSentence];
        for (var point = 0; point < candidates.Count; point++)
        {
            TryAssign(point, new bool[slotOwner.Length]);
        }

        var assigned = new int?[candidates.Count];
        for (var slot = 0; slot < slotOwner.Length; slot++)
        {
            if (slotOwner[slot] is { } owner)
            {
                assigned[owner] = slot / PointsPerSentence;
            }
        }

        return assigned;

        bool TryAssign(int point, bool[] visited)
        {
            foreach (var sentence in candidates[point])
            {
                for (var copy = 0; copy < PointsPerSentence; copy++)
                {
                    var slot = (sentence * PointsPerSentence) + copy;
                    if (visited[slot])
                    {
                        continue;
                    }

                    visited[slot] = true;
                    if (slotOwner[slot] is not { } owner || TryAssign(owner, visited))
                    {
                        slotOwner[slot] = point;
                        return true;
                    }
                }
            }

            return false;
        }
    }

    private static DimensionScore CoverageDimension(string name, CoverageResult coverage, int? outOf = null)
    {
        var denominator = Math.Max(1, Math.Min(outOf ?? coverage.Total, coverage.Total));
        var ratio = (double)coverage.Covered.Count / denominator;
        var score = ratio >= 0.75 ? 4 : ratio >= 0.5 ? 3 : ratio >= 0.25 ? 2 : 1;
        var rationale = outOf is null || denominator == coverage.Total
            ? string.Create(CultureInfo.InvariantCulture, $"Evidenced {coverage.Covered.Count} of {coverage.Total} key points in sentences that explain or state them.")
            : string.Create(CultureInfo.InvariantCulture, $"Evidenced {coverage.Covered.Count} of the {coverage.Total} key points still open; {denominator} make a full follow-up answer.");
        if (coverage.Unexplained.Count > 0)
        {
            rationale += $" Mentioned without explanation: {string.Join(", ", coverage.Unexplained.Select(u => $"'{u}'"))}.";
        }

        return new DimensionScore(name, score, [.. coverage.Covered.Select(c => c.Quote).Distinct().Take(3)], rationale);
    }

    private static List<DimensionScore> TheoryDimensions(List<Sentence> sentences, Reasoning reasoning)
    {
        var causes = reasoning.Matching(sentences, Signals.Causal);
        var nuance = reasoning.Matching(sentences, Signals.TradeOffOrExample);
        return
        [
            CoverageDimension("coverage", reasoning.Coverage),
            Counted("depth", causes, thresholds: (1, 2, 4), "sentence(s) explain a cause or consequence"),
            Counted("trade-offs-and-examples", nuance, thresholds: (1, 2, 3), "sentence(s) weigh a trade-off or give a concrete example"),
        ];
    }

    private static List<DimensionScore> BehavioralDimensions(List<Sentence> sentences, CoverageResult coverage)
    {
        var parts = new (string Part, IReadOnlyList<string> Markers)[]
        {
            ("situation", Signals.Situation),
            ("task", Signals.Task),
            ("action", Signals.Action),
            ("result", Signals.Result),
        };
        var found = parts
            .Select(p => (p.Part, Sentence: sentences.FirstOrDefault(s => s.Injection is null && !s.IsList && s.Words.Count >= 4
                && (Signals.IsLabelled(s, p.Part) || (p.Part == "action" ? Signals.SaysWhatIDid(s) : Signals.Has(s, p.Markers))))))
            .ToList();
        var present = found.Where(f => f.Sentence is not null).ToList();
        var starScore = Math.Max(1, present.Count);
        var missingParts = found.Where(f => f.Sentence is null).Select(f => f.Part).ToList();
        var star = new DimensionScore(
            "star-structure",
            starScore,
            [.. present.Select(p => AnswerText.Quote(p.Sentence!.Text)).Distinct().Take(4)],
            missingParts.Count == 0
                ? "Situation, task, action and result are all there."
                : $"Has {present.Count} of 4 STAR parts; missing: {string.Join(", ", missingParts)}.");

        var mine = sentences.Where(s => s.Injection is null && !s.IsList && s.Words.Contains("i") && Signals.SaysWhatIDid(s)).ToList();
        var ours = sentences.Count(s => s.Injection is null && (s.Words.Contains("we") || s.Words.Contains("our")) && !s.Words.Contains("i"));
        var ownershipScore = mine.Count switch
        {
            >= 3 => 4,
            2 => ours > 4 ? 3 : 4,
            1 => 3,
            _ => ours > 0 ? 2 : 1,
        };
        var ownership = new DimensionScore(
            "ownership",
            ownershipScore,
            [.. mine.Take(2).Select(s => AnswerText.Quote(s.Text))],
            mine.Count == 0
                ? "No sentence says what you yourself decided or did."
                : $"{mine.Count} sentence(s) say what you did yourself{(ours > mine.Count ? $", against {ours} about the team" : string.Empty)}.");

        var numbers = sentences.Where(s => s.Injection is null && !s.IsList && Signals.HasQuantity(s.Text)).ToList();
        var quantification = Counted("quantification", numbers, thresholds: (1, 2, 3), "sentence(s) put a number on the scale or the result");
        var reflection = Counted("reflection", Matching(sentences, Signals.Reflection, coverage), thresholds: (1, 1, 2), "sentence(s) reflect on what you learned or would change");
        return [CoverageDimension("coverage", coverage), star, ownership, quantification, reflection];
    }

    private static List<DimensionScore> DesignDimensions(Question question, List<Sentence> sentences, CoverageResult coverage)
    {
        var result = new List<DimensionScore>();
        foreach (var dimension in question.Dimensions)
        {
            var points = question.Rubric.Where(p => p.Dimension == dimension).ToList();
            var covered = coverage.Covered.Where(c => c.Point.Dimension == dimension).ToList();
            var generic = sentences.FirstOrDefault(s => s.Earns && !s.IsPlainStatement && Signals.Has(s, Signals.ForDimension(dimension)));
            int score;
            string rationale;
            if (covered.Count == points.Count)
            {
                score = 4;
                rationale = $"Covers what this design needs on {dimension.ToWire()}.";
            }
            else if (covered.Count > 0)
            {
                score = covered.Count * 2 >= points.Count ? 3 : 2;
                rationale = $"Covers {covered.Count} of {points.Count} points on {dimension.ToWire()}.";
            }
            else if (generic is not null)
            {
                score = 2;
                rationale = $"Touches {dimension.ToWire()} in general terms, but not what this design specifically needs.";
            }
            else
            {
                score = 1;
                rationale = $"Nothing on {dimension.ToWire()}.";
            }

            IReadOnlyList<string> evidence = covered.Count > 0
                ? [.. covered.Select(c => c.Quote).Distinct()]
                : generic is not null ? [AnswerText.Quote(generic.Text)] : [];
            result.Add(new DimensionScore(dimension.ToWire(), score, evidence, rationale));
        }

        return result;
    }

    private static List<DimensionScore> QuestionsToAskDimensions(List<Sentence> sentences, CoverageResult coverage)
    {
        var asked = sentences.Where(s => s.IsQuestion && s.Injection is null && s.Words.Count >= 4).ToList();
        var aboutTheWork = asked.Where(s => !Signals.Has(s, Signals.Logistics)).ToList();
        var pointed = aboutTheWork.Where(s => s.Words.Count >= 8 && (s.Words.Contains("you") || s.Words.Contains("your") || s.Words.Contains("team"))).ToList();

        // Pay and perks are fair questions, but asked alone they show nothing about how the candidate thinks.
        var specificity = aboutTheWork.Count == 0 ? 1 : pointed.Count >= 2 ? 4 : pointed.Count == 1 ? 3 : 2;
        var rationale = asked.Count == 0
            ? "No question was asked: this stage is for your questions to the interviewer."
            : aboutTheWork.Count == 0
                ? "Only pay, perks or logistics were asked about: nothing about the work, the team or its problems."
                : $"{asked.Count} question(s) asked, {pointed.Count} specific to this team and role.";
        return
        [
            CoverageDimension("insight", coverage),
            new DimensionScore(
                "specificity",
                specificity,
                [.. (pointed.Count > 0 ? pointed : asked).Take(2).Select(s => AnswerText.Quote(s.Text))],
                rationale),
        ];
    }

    private static List<DimensionScore> CodingDimensions(List<Sentence> sentences, Reasoning reasoning)
    {
        return
        [
            CoverageDimension("coverage", reasoning.Coverage),
            Counted("edge-cases-and-tests", reasoning.Matching(sentences, Signals.EdgeCases), thresholds: (1, 2, 3), "sentence(s) handle edge cases, numerics or tests"),
            Counted("complexity", reasoning.Matching(sentences, Signals.Complexity), thresholds: (1, 1, 2), "sentence(s) reason about time or memory cost"),
        ];
    }

    /// <summary>A follow-up answer is judged on the rubric points it adds and on its reasoning, not on a whole answer's breadth.</summary>
    private static List<DimensionScore> FollowUpDimensions(List<Sentence> sentences, Reasoning reasoning)
    {
        return
        [
            CoverageDimension("coverage", reasoning.Coverage, outOf: 2),
            Counted("depth", reasoning.Matching(sentences, Signals.Causal), thresholds: (1, 1, 2), "sentence(s) explain a cause or consequence"),
        ];
    }

    /// <summary>
    /// The sentences that reason in the way the markers say. A plain statement counts only when it earned a point, so a
    /// chain of terms is no reasoning; in a sentence that earned a point an arrow reads as a consequence: "variance
    /// grows with d_k → the softmax saturates" is how notes give a cause.
    /// </summary>
    private static List<Sentence> Matching(List<Sentence> sentences, IReadOnlyList<string> markers, CoverageResult coverage) =>
        [.. sentences.Where(s => s.Earns
            && (Signals.Has(s, markers) || (ReferenceEquals(markers, Signals.Causal) && AnswerText.HasArrow(s.Text) && coverage.Credits(s)))
            && (!s.IsPlainStatement || coverage.Credits(s)))];

    /// <summary>
    /// What reasoning counts on a question: sentences that reason in the way asked and are about the question, having
    /// earned a point or naming something of its own subject in words beyond the question's. "This matters because
    /// otherwise the model trains badly" has the shape of a reason and would fit any question, and the question said
    /// back reads as one, so neither lifts an answer's depth.
    /// </summary>
    private sealed record Reasoning(CoverageResult Coverage, IReadOnlySet<string> Topic, HashSet<string> Shown)
    {
        public List<Sentence> Matching(List<Sentence> sentences, IReadOnlyList<string> markers) =>
            [.. RubricJudge.Matching(sentences, markers, Coverage).Where(s => Coverage.Credits(s) || (IsAbout(s) && SaysMoreThanTheQuestion(s, Shown)))];

        private bool IsAbout(Sentence sentence) =>
            sentence.Stems.Where((stem, i) => !AnswerText.StopWords.Contains(sentence.Words[i]) && !Signals.IsGeneric(stem)).Any(Topic.Contains);
    }

    /// <summary>The stems of what a question is about: its prompt, follow-ups, rubric and reference answer.</summary>
    private static HashSet<string> TopicOf(Question question, string? followUp)
    {
        var topic = Topics.GetValue(question, q => ContentStems([q.Prompt, q.ReferenceAnswer ?? string.Empty, .. q.FollowUps, .. q.Rubric.SelectMany(p => p.Evidence.Prepend(p.Text))]));
        return followUp is null || question.FollowUps.Contains(followUp) ? topic : [.. topic, .. ContentStems([followUp])];
    }

    /// <summary>Each question's subject, worked out once: the judge is asked about the same questions all day.</summary>
    private static readonly ConditionalWeakTable<Question, HashSet<string>> Topics = [];

    private static HashSet<string> ContentStems(IEnumerable<string> texts) =>
        [.. texts.SelectMany(AnswerText.Words).Where(w => !AnswerText.StopWords.Contains(w)).Select(WordStems.Of)];

    /// <summary>Scores a count of supporting sentences: below the first threshold 1, then 2, 3, and 4 at the last.</summary>
    private static DimensionScore Counted(string name, List<Sentence> found, (int Two, int Three, int Four) thresholds, string what)
    {
        var n = found.Count;
        var score = n >= thresholds.Four ? 4 : n >= thresholds.Three ? 3 : n >= thresholds.Two ? 2 : 1;
        return new DimensionScore(name, score, [.. found.Take(2).Select(s => AnswerText.Quote(s.Text))], $"{n} {what}.");
    }

    private static string NextDrill(Question question, List<DimensionScore> dimensions, CoverageResult coverage)
    {
        // Missing the substance matters more than the polish: a thin rubric coverage is drilled before anything else.
        var coverageDimension = dimensions.Find(d => d.Name is "coverage" or "insight");
        var weakest = coverageDimension is { Score: <= 2 } && coverage.Missed.Count > 0 ? coverageDimension : dimensions.MinBy(d => d.Score)!;
        if (weakest.Score == 4)
        {
            // Named, since a scorecard lists the drills of every answer together.
            return $"Strong on every dimension: try a harder {question.Stage.ToWire()} question, or answer this {question.Topics[0]} question again in half the words.";
        }

        var firstMissed = coverage.Missed.Count > 0 ? coverage.Missed[0].Text : null;
        return weakest.Name switch
        {
            "star-structure" => "Retell this story in STAR order: the situation, your task, the actions you took, and a measured result.",
            "ownership" => "Say what you did: rewrite your 'we' sentences as 'I decided…', 'I built…', 'I convinced…'.",
            "quantification" => "Put numbers on it: the scale, the metric before and after, and how long it took.",
            "reflection" when weakest.Score >= 3 => "Deepen the reflection: say what you now do differently because of it, with one time you did.",
            "reflection" => "End with what you learned and what you would do differently next time.",
            "specificity" => "Ask questions only this team can answer: about their evaluation, their on-call, their biggest risk.",
            "depth" => "For each point, add the 'because': why it holds and what happens if it doesn't.",
            "trade-offs-and-examples" => "Add one trade-off (what it costs) and one concrete example from a system you know.",
            "edge-cases-and-tests" => "Walk through edge cases (empty input, overflow, ties) and the tests you would write.",
            "complexity" => "State the time and memory cost of your approach and where it breaks at scale.",
            // A follow-up's coverage is of the points the design still leaves out, not a design dimension.
            "coverage" when question.Stage == Stage.Design && firstMissed is not null => $"Design drill: spend two minutes on what your design still leaves out: {Lower(firstMissed)}",
            _ when question.Stage == Stage.Design => $"Design drill: spend two minutes on {weakest.Name}{(MissedIn(question, coverage, weakest.Name) is { } point ? $": {Lower(point)}" : ".")}",
            _ when question.Stage == Stage.QuestionsToAsk && firstMissed is not null => $"Prepare a question that shows this: {Lower(firstMissed)}.",
            _ when firstMissed is not null => $"Revisit {question.Topics[0]}: a strong answer also covers \"{firstMissed}\". Explain it in two sentences, with the reason.",
            _ => $"Revisit {question.Topics[0]} and answer again with a reason for every claim.",
        };
    }

    private static string? MissedIn(Question question, CoverageResult coverage, string dimensionName) =>
        coverage.Missed.FirstOrDefault(p => p.Dimension?.ToWire() == dimensionName)?.Text
        ?? (question.Dimensions.Any(d => d.ToWire() == dimensionName) || coverage.Missed.Count == 0 ? null : coverage.Missed[0].Text);

    private static string Lower(string text) =>
        text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
}
