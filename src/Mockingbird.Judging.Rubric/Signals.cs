using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Judging.Rubric;

/// <summary>The phrases that signal structure in an answer: STAR parts, reasoning, trade-offs, reflection and so on.</summary>
internal static partial class Signals
{
    public static readonly IReadOnlyList<string> Situation =
    [
        "at my last", "at my previous", "in my previous", "in my last", "we had", "our team", "the team", "was working on",
        "i was working", "the situation", "the context", "last year", "a few years ago", "when i was", "i joined",
        "we were", "the company", "our product", "our model", "in production", "the project",
    ];

    public static readonly IReadOnlyList<string> Task =
    [
        "my goal", "the goal", "i was asked", "i was responsible", "responsible for", "i needed to", "we needed to",
        "had to", "my task", "the task", "my job", "objective", "the problem was", "the challenge", "i owned",
        "my role", "was tasked", "deadline",
    ];

    public static readonly IReadOnlyList<string> Action =
    [
        "i decided", "i built", "i wrote", "i proposed", "i ran", "i led", "i created", "i designed", "i added",
        "i changed", "i set up", "i moved", "i pushed", "i talked", "i met", "i convinced", "i analysed", "i analyzed",
        "i investigated", "i rolled back", "i traced", "i found", "i fixed", "i shipped", "i measured", "i implemented",
        "i drove", "i organised", "i organized", "i escalated", "i paired", "i asked", "i argued", "i prototyped",
        "i replaced", "i reduced", "i introduced", "i chose", "i owned", "i took", "i started", "i dug", "i split",
        "i wrote up", "i presented", "i trained", "i retrained", "i debugged", "i reviewed", "i mentored", "i scoped",
        "i cut", "i negotiated", "i documented", "i automated", "i benchmarked", "i compared", "i stopped",
    ];

    public static readonly IReadOnlyList<string> Result =
    [
        "as a result", "result", "reduced", "increased", "improved", "saved", "cut", "shipped", "launched", "outcome",
        "ended up", "which meant", "dropped", "grew", "went from", "went down", "went up", "recovered", "resolved",
        "adopted", "impact", "we hit", "we met", "on time", "percent",
    ];

    public static readonly IReadOnlyList<string> Reflection =
    [
        // "Learned" on its own is also an adjective ("learned linear projections"): only the candidate's learning counts.
        "i learned", "i learnt", "we learned", "we learnt", "learned that", "learnt that", "learned to", "learnt to",
        "learned how", "lesson", "in hindsight", "next time", "differently", "i would have", "looking back",
        "takeaway", "since then", "now i", "changed how", "i realised", "i realized", "mistake",
        "retrospective", "postmortem", "post-mortem",
    ];

    public static readonly IReadOnlyList<string> Causal =
    [
        "because", "so that", "which means", "this means", "that means", "therefore", "since", "leads to", "as a result",
        "causes", "caused by", "results in", "in order to", "otherwise", "due to", "that is why", "which is why",
        "the reason", "thus", "hence", "so", "prevents", "ensures", "allows", "avoids",
    ];

    public static readonly IReadOnlyList<string> TradeOffOrExample =
    [
        "trade-off", "tradeoff", "trade off", "however", "but", "downside", "the cost", "whereas",
        "on the other hand", "in practice", "for example", "for instance", "e.g", "such as", "compared to",
        "compared with", "instead of", "at the expense", "versus", "vs", "rather than", "the catch", "drawback",
        "limitation", "works well when", "breaks down", "unless",
    ];

    public static readonly IReadOnlyList<string> EdgeCases =
    [
        "edge case", "empty", "overflow", "underflow", "numerically", "numerical", "stable", "nan", "infinity",
        "zero", "boundary", "test", "assert", "corner case", "tie", "negative", "invalid", "mask",
    ];

    public static readonly IReadOnlyList<string> Complexity =
    [
        "complexity", "o(n", "o(1", "o(log", "o(k", "linear", "quadratic", "logarithmic", "memory", "vectorised",
        "vectorized", "time and space", "per query", "scales with", "big o", "batch",
    ];

    /// <summary>Pay, perks and logistics: fair to ask, but they show nothing about the work.</summary>
    public static readonly IReadOnlyList<string> Logistics =
    [
        "salary", "salaries", "pay", "paid", "compensation", "package", "bonus", "equity", "stock", "vest", "vesting",
        "vacation", "holiday", "pto", "time off", "remote", "work from home", "home office", "home-office", "relocation",
        "perk", "perks", "benefits", "gym", "lunch", "laptop", "pay review", "signing", "how many people", "team size",
        "working hours", "office",
    ];

    public static IReadOnlyList<string> ForDimension(DesignDimension dimension) => dimension switch
    {
        DesignDimension.Scoping => ["requirement", "requirements", "users", "use case", "scope", "qps", "requests per second", "assume", "clarify", "out of scope", "latency budget", "sla", "success metric"],
        DesignDimension.Data => ["label", "labels", "labelling", "labeling", "dataset", "training data", "logs", "features", "ground truth", "annotation", "pipeline", "freshness", "privacy", "pii"],
        DesignDimension.Modelling => ["baseline", "fine-tune", "fine-tuning", "embedding", "classifier", "architecture", "retrieval", "reranker", "prompt", "gradient boosting", "two-tower", "llm"],
        DesignDimension.Serving => ["latency", "p99", "p95", "throughput", "batching", "cache", "caching", "autoscale", "gpu", "endpoint", "streaming", "fallback", "online serving", "precompute"],
        DesignDimension.EvaluationMonitoring => ["metric", "metrics", "offline evaluation", "online", "a/b", "ab test", "monitor", "monitoring", "drift", "dashboard", "alert", "eval set", "golden set", "regression"],
        DesignDimension.TradeOffs => ["trade-off", "tradeoff", "trade off", "instead of", "versus", "vs", "rather than", "alternatively", "on the other hand", "downside", "at the cost"],
        DesignDimension.Cost => ["cost", "costs", "budget", "dollar", "per request", "per token", "gpu hours", "cheaper", "expensive", "spend", "price"],
        _ => [],
    };

    private static readonly HashSet<string> IrregularPast =
    [
        "went", "put", "took", "made", "found", "wrote", "built", "ran", "led", "set", "got", "gave", "told", "chose",
        "cut", "spent", "drove", "dug", "began", "sent", "kept", "brought", "thought", "sought", "caught", "taught",
        "met", "saw", "did", "said", "knew", "held", "paid", "shut", "split", "threw", "won", "left", "rewrote", "broke",
    ];

    private static readonly HashSet<string> Hedges = ["then", "also", "first", "finally", "personally", "quickly", "immediately", "still"];

    /// <summary>
    /// "I" followed by a verb in the past tense ("I went through 300 searches", "I put the dead end in a note"): the
    /// candidate says what they did, in whatever verb, not only the ones <see cref="Action"/> lists.
    /// </summary>
    public static bool SaysWhatIDid(Sentence sentence)
    {
        if (Has(sentence, Action))
        {
            return true;
        }

        var words = sentence.Words;
        for (var i = 0; i < words.Count - 1; i++)
        {
            if (words[i] != "i")
            {
                continue;
            }

            var next = i + 1;
            while (next < words.Count - 1 && (Hedges.Contains(words[next]) || words[next].EndsWith("ly", StringComparison.Ordinal)))
            {
                next++;
            }

            var verb = words[next];
            if (IrregularPast.Contains(verb) || (verb.Length > 4 && verb.EndsWith("ed", StringComparison.Ordinal) && verb != "need"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Words any ML question's text may hold and any padding may say ("the model trains badly", "the system works
    /// better"): sharing one with a question does not put a sentence on its subject.
    /// </summary>
    private static readonly HashSet<string> GenericStems = [.. new[]
    {
        "model", "models", "data", "train", "training", "trains", "system", "systems", "problem", "problems", "result",
        "results", "work", "works", "working", "use", "used", "using", "better", "worse", "good", "bad", "badly", "wrong",
        "right", "well", "way", "much", "many", "lot", "make", "makes", "go", "goes", "fail", "fails", "break", "breaks",
        "issue", "issues", "approach", "method", "help", "helps", "need", "needs", "want", "case", "cases", "part", "step",
        "modern", "everyone", "people", "every", "often", "always", "never", "usual", "usually", "practice", "real",
        "performance", "quality", "accuracy", "output", "input", "happen", "happens",
    }.Select(WordStems.Of)];

    public static bool IsGeneric(string stem) => GenericStems.Contains(stem);

    public static bool Has(Sentence sentence, IReadOnlyList<string> markers) =>
        markers.Any(m => AnswerText.Contains(sentence.Words, AnswerText.Words(m)));

    /// <summary>
    /// A sentence the candidate labelled as a part of their story ("Situation: after a pricing change…", "Task - …"):
    /// the label itself, not the word anywhere ("a labelling task", "in that situation I would…").
    /// </summary>
    public static bool IsLabelled(Sentence sentence, string part) =>
        StoryLabel().Match(sentence.Text) is { Success: true } label && label.Groups[1].Value.Equals(part, StringComparison.OrdinalIgnoreCase);

    /// <summary>A number that measures something: a percentage, a multiple, money, a duration, a count with a unit.</summary>
    public static bool HasQuantity(string text) => Quantity().IsMatch(text);

    [GeneratedRegex(
        @"\d+(?:[.,]\d+)?\s*(?:%|x\b|×|percent|ms\b|milliseconds?|seconds?|s\b|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|k\b|m\b|million|billion|users?|customers?|requests?|qps|rps|tokens?|gpus?|engineers?|people|points?|pp\b|bps\b)|[$€£]\s*\d",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^\W{0,3}(situation|task|action|result)[*_]{0,2}\s*[:\-–—]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StoryLabel();
}
