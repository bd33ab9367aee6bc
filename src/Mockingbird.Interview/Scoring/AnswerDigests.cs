using System.Text.RegularExpressions;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Interview.Scoring;

/// <summary>
/// Reduces a judged answer to what the end report needs once its text is dropped: at most two short quotes and a
/// handful of signal words. Signals are topic keys (<c>latency</c>), claims (<c>c:latency</c>, a behavioral sentence
/// saying what the candidate did), trade-offs (<c>t:latency+recall</c>, one sentence weighing two topics) and
/// questions (<c>q:latency</c>, a question put to the interviewer).
/// </summary>
public static partial class AnswerDigests
{
    public const int MaxQuotes = 2;

    public const int MaxQuoteLength = 120;

    public const int MaxSignals = 8;

    public const string Claim = "claim";

    public const string TradeOff = "trade-off";

    public const string Asked = "question";

    /// <summary>The topics the rounds are compared on, each with the words that name it.</summary>
    private static readonly (string Topic, Regex Words)[] Topics =
    [
        ("streaming", TopicRegex(@"streaming|stream processing|real[- ]time|kafka|flink")),
        ("latency", TopicRegex(@"latency|latencies|p9[59]|\d+\s*ms|milliseconds?")),
        ("cost", TopicRegex(@"costs?|costly|cheaper|expensive|per token|gpu hours|spend|dollars?")),
        ("recall", TopicRegex(@"recall")),
        ("precision", TopicRegex(@"precision")),
        ("throughput", TopicRegex(@"throughput|qps|requests per second")),
        ("caching", TopicRegex(@"cache[sd]?|caching")),
        ("fine-tuning", TopicRegex(@"fine[- ]?tun\w*|lora")),
        ("prompting", TopicRegex(@"prompting|prompt engineering|few[- ]shot|in-context")),
        ("retrieval", TopicRegex(@"retrieval|retriever|rag|vector search|vector index")),
        ("reranking", TopicRegex(@"re-?rank\w*")),
        ("evaluation", TopicRegex(@"evaluation|eval set|golden set|offline metrics?")),
        ("monitoring", TopicRegex(@"monitor\w*|drift|alerts?|dashboards?")),
        ("experiments", TopicRegex(@"a/b|ab tests?|experiments?")),
        ("labels", TopicRegex(@"labels?|label(?:l)?ing|annotation")),
        ("quantization", TopicRegex(@"quanti[sz]\w*|int8|4-bit")),
        ("distillation", TopicRegex(@"distil\w*")),
        ("batching", TopicRegex(@"batching|batch size")),
        ("gpu", TopicRegex(@"gpus?")),
        ("privacy", TopicRegex(@"privacy|pii")),
        ("freshness", TopicRegex(@"freshness|stale")),
        ("hallucination", TopicRegex(@"hallucinat\w*|grounding")),
    ];

    /// <summary>The answer with its text as the judge saw it, reduced; the feedback's evidence quotes come first for dimensions.</summary>
    public static (IReadOnlyList<TurnQuote> Quotes, IReadOnlyList<string> Signals) Of(Stage stage, string? answer, Feedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var sentences = Sentences.Split(answer ?? string.Empty);
        var signals = new List<string>();
        var signalQuotes = new List<TurnQuote>();
        foreach (var sentence in sentences)
        {
            var topics = TopicsIn(sentence);
            signals.AddRange(topics);
            var kind = KindOf(stage, sentence, topics);
            if (kind is null)
            {
                continue;
            }

            var named = kind switch
            {
                TradeOff => [$"t:{string.Join('+', topics)}"],
                Claim => topics.Select(t => $"c:{t}"),
                _ => topics.Select(t => $"q:{t}"),
            };
            var fresh = named.Where(n => !signals.Contains(n)).ToList();
            signals.InsertRange(0, fresh);

            // A second sentence of the same kind earns a quote only when it names something the first did not.
            if (fresh.Count > 0)
            {
                signalQuotes.Add(new TurnQuote(kind, Shorten(sentence)));
            }
        }

        var quotes = new List<TurnQuote>(signalQuotes.Take(1));
        foreach (var dimension in EvidencedDimensions(feedback))
        {
            quotes.Add(dimension);
        }

        quotes.AddRange(signalQuotes.Skip(1));
        if (quotes.Count == 0 && sentences.Count > 0)
        {
            quotes.Add(new TurnQuote("answer", Shorten(sentences[0])));
        }

        return ([.. quotes.DistinctBy(q => q.Text, StringComparer.Ordinal).Take(MaxQuotes)],
            [.. signals.Distinct(StringComparer.Ordinal).Take(MaxSignals)]);
    }

    /// <summary>The topic keys a text names, in the order of <see cref="Topics"/>.</summary>
    public static IReadOnlyList<string> TopicsIn(string text) =>
        [.. Topics.Where(t => t.Words.IsMatch(text)).Select(t => t.Topic)];

    /// <summary>A quote cut at a word boundary to at most <see cref="MaxQuoteLength"/> characters.</summary>
    public static string Shorten(string sentence)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        var text = Whitespace().Replace(sentence.Trim(), " ");
        if (text.Length <= MaxQuoteLength)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', MaxQuoteLength - 1);
        var cut = space > MaxQuoteLength / 2 ? space : MaxQuoteLength - 1;

        // Never between the halves of a surrogate pair (an emoji): half a character shows as �, and is not kept.
        cut -= char.IsHighSurrogate(text[cut - 1]) ? 1 : 0;
        return $"{text[..cut].TrimEnd(',', ';', ':')}…";
    }

    private static string? KindOf(Stage stage, string sentence, IReadOnlyList<string> topics)
    {
        if (topics.Count >= 2 && TradeOffWords().IsMatch(sentence))
        {
            return TradeOff;
        }

        return topics.Count == 0 ? null : stage switch
        {
            Stage.Behavioral when ClaimWords().IsMatch(sentence) => Claim,
            Stage.QuestionsToAsk when sentence.EndsWith('?') || QuestionStart().IsMatch(sentence) => Asked,
            _ => null,
        };
    }

    /// <summary>The evidence of the best- and worst-scored dimensions that quote the answer, best first.</summary>
    private static IEnumerable<TurnQuote> EvidencedDimensions(Feedback feedback)
    {
        var evidenced = feedback.Dimensions.Where(d => d.Evidence.Any(e => !string.IsNullOrWhiteSpace(e))).ToList();
        if (evidenced.Count == 0)
        {
            yield break;
        }

        var best = evidenced.MaxBy(d => d.Score)!;
        yield return new TurnQuote(best.Name, Shorten(best.Evidence.First(e => !string.IsNullOrWhiteSpace(e))));
        var worst = evidenced.MinBy(d => d.Score)!;
        if (worst.Score < best.Score)
        {
            yield return new TurnQuote(worst.Name, Shorten(worst.Evidence.First(e => !string.IsNullOrWhiteSpace(e))));
        }
    }

    /// <summary>
    /// Compiled: they read every sentence of every judged answer and every debrief quote, and interpreted they were
    /// most of a scorecard's cost.
    /// </summary>
    private static Regex TopicRegex(string words) =>
        new($@"(?<![\w-])(?:{words})(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\btrade-?\s?offs?\b|\bversus\b|\bvs\.?(?!\w)|\bat the (?:cost|expense) of\b|\brather than\b|\binstead of\b|\bwhereas\b|\bin exchange for\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TradeOffWords();

    [GeneratedRegex(@"\b(?:i|we)\s+(?:\w+ly\s+)?(?:led|built|migrated|moved|cut|reduced|shipped|designed|launched|owned|drove|rolled out|introduced|implemented|scaled|rebuilt|rewrote|improved|deployed|created|ran|halved|doubled|delivered)\b|\d+(?:\.\d+)?\s*(?:%|x\b|percent)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ClaimWords();

    [GeneratedRegex(@"^(?:what|how|who|which|when|why|where|is|are|do|does|did|can|could|would|will|should)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionStart();
}
