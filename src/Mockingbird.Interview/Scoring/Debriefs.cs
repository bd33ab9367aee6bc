using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Interview.Scoring;

/// <summary>
/// The offline debrief: reads the rounds of an interview together from what each judged answer kept (quotes and
/// signal words) and the questions' own text. Every finding quotes words both rounds contain, and a finding about the
/// design answer is only made when the design question itself touches the topic, so nothing is invented.
/// </summary>
public static partial class Debriefs
{
    public static readonly FeedbackSource Offline = new("offline-rubric");

    /// <summary>The compact material of every judged answer, in order.</summary>
    public static IReadOnlyList<DebriefTurn> TurnsOf(InterviewSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return [.. session.Turns
            .Where(t => t.Score is not null)
            .Select(t => new DebriefTurn(t.Number, t.Stage, t.Score!.Quotes, t.Score.Signals))];
    }

    /// <summary>The interviewer's questions as asked, for a debrief to tell a repeated question.</summary>
    public static IReadOnlyList<DebriefSide> AskedOf(InterviewSession session, QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(bank);
        return [.. session.AskedQuestionIds()
            .Select(bank.Find)
            .OfType<Question>()
            .Where(q => q.Stage != Stage.QuestionsToAsk)
            .Select(q => new DebriefSide(q.Stage, q.Prompt, ByInterviewer: true))];
    }

    /// <summary>
    /// The debrief of a session that ran more than one stage, or <c>null</c> for a single-stage interview (there is
    /// nothing to read together).
    /// </summary>
    public static Debrief? Read(InterviewSession session, QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(bank);
        var turns = TurnsOf(session);
        if (turns.Select(t => t.Stage).Distinct().Count() < 2)
        {
            return null;
        }

        var designTopics = session.AskedQuestionIds().Select(bank.Find).OfType<Question>().Where(q => q.Stage == Stage.Design)
            .SelectMany(TopicsOfQuestion).ToHashSet(StringComparer.Ordinal);
        var design = turns.Where(t => t.Stage == Stage.Design).ToList();
        var findings = new List<DebriefFinding>();
        if (design.Count > 0)
        {
            findings.AddRange(UnbackedClaims(turns, design, designTopics));
            findings.AddRange(IgnoredTradeOffs(turns, design, designTopics));
        }

        findings.AddRange(RepeatedQuestions(turns, AskedOf(session, bank)));
        return new Debrief(findings, Offline);
    }

    private static IEnumerable<DebriefFinding> UnbackedClaims(IReadOnlyList<DebriefTurn> turns, List<DebriefTurn> design, HashSet<string> designTopics)
    {
        var designSays = design.SelectMany(t => t.Signals).Select(TopicsOfSignal).SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var turn in turns.Where(t => t.Stage == Stage.Behavioral))
        {
            foreach (var topic in turn.Signals.Where(s => s.StartsWith("c:", StringComparison.Ordinal)).Select(s => s[2..]))
            {
                if (!designTopics.Contains(topic) || designSays.Contains(topic) || !reported.Add(topic)
                    || QuoteOn(turn, topic, AnswerDigests.Claim) is not { } claim || FirstQuote(design) is not { } other)
                {
                    continue;
                }

                yield return new DebriefFinding(
                    DebriefKind.UnbackedClaim,
                    $"The behavioral round claims work on {topic}, but the design answers never bring {topic} up, though the design question calls for it.",
                    new DebriefSide(Stage.Behavioral, claim),
                    new DebriefSide(Stage.Design, other));
            }
        }
    }

    private static IEnumerable<DebriefFinding> IgnoredTradeOffs(IReadOnlyList<DebriefTurn> turns, List<DebriefTurn> design, HashSet<string> designTopics)
    {
        var designSays = design.SelectMany(t => t.Signals).SelectMany(TopicsOfSignal).ToHashSet(StringComparer.Ordinal);
        foreach (var turn in turns.Where(t => t.Stage == Stage.Theory))
        {
            foreach (var signal in turn.Signals.Where(s => s.StartsWith("t:", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
            {
                // A design answer that names two of the sides weighs them; one that names one side or none ignores the trade-off.
                var sides = TopicsOfSignal(signal);
                if (!sides.Any(designTopics.Contains) || sides.Count(designSays.Contains) >= 2
                    || QuoteOn(turn, sides[0], AnswerDigests.TradeOff) is not { } named || FirstQuote(design) is not { } other)
                {
                    continue;
                }

                var missing = sides.Where(s => !designSays.Contains(s)).ToList();
                var weighed = sides.Length == 2 ? $"{sides[0]} against {sides[1]}" : $"{string.Join(", ", sides[..^1])} and {sides[^1]} against each other";
                yield return new DebriefFinding(
                    DebriefKind.IgnoredTradeOff,
                    $"Theory weighs {weighed}, but the design answer never weighs them: it does not mention {string.Join(" or ", missing)}.",
                    new DebriefSide(Stage.Theory, named),
                    new DebriefSide(Stage.Design, other));
            }
        }
    }

    private static IEnumerable<DebriefFinding> RepeatedQuestions(IReadOnlyList<DebriefTurn> turns, IReadOnlyList<DebriefSide> asked)
    {
        foreach (var turn in turns.Where(t => t.Stage == Stage.QuestionsToAsk))
        {
            foreach (var question in turn.Quotes.Where(q => q.Key == AnswerDigests.Asked).Select(q => q.Text))
            {
                var topics = AnswerDigests.TopicsIn(question);
                if (AlreadySaidByInterviewer(question, topics, asked) is { } said)
                {
                    yield return new DebriefFinding(
                        DebriefKind.RepeatedQuestion,
                        $"This question asks what the {said.Stage.Title().ToLowerInvariant()} question already stated.",
                        said,
                        new DebriefSide(Stage.QuestionsToAsk, question));
                }
                else if (AlreadyCoveredByCandidate(topics, turns) is { } covered)
                {
                    yield return new DebriefFinding(
                        DebriefKind.RepeatedQuestion,
                        $"This question asks about a trade-off the candidate already explained in the {covered.Stage.Title().ToLowerInvariant()} round.",
                        covered,
                        new DebriefSide(Stage.QuestionsToAsk, question));
                }
            }
        }
    }

    /// <summary>
    /// A sentence of an earlier question that states a figure on the same topic and shares another word with the
    /// candidate's question: "a 100 ms latency budget" against "what latency budget does the team have?".
    /// </summary>
    private static DebriefSide? AlreadySaidByInterviewer(string question, IReadOnlyList<string> topics, IReadOnlyList<DebriefSide> asked)
    {
        var words = ContentWords(question);
        foreach (var side in asked)
        {
            foreach (var sentence in Sentences.Split(side.Quote))
            {
                if (Digit().IsMatch(sentence) && AnswerDigests.TopicsIn(sentence).Any(topics.Contains)
                    && ContentWords(sentence).Overlaps(words.Except(topics, StringComparer.Ordinal)))
                {
                    return side with { Quote = AnswerDigests.Shorten(sentence) };
                }
            }
        }

        return null;
    }

    private static DebriefSide? AlreadyCoveredByCandidate(IReadOnlyList<string> topics, IReadOnlyList<DebriefTurn> turns)
    {
        foreach (var turn in turns.Where(t => t.Stage != Stage.QuestionsToAsk))
        {
            foreach (var signal in turn.Signals.Where(s => s.StartsWith("t:", StringComparison.Ordinal)))
            {
                var sides = TopicsOfSignal(signal);
                if (sides.Count(topics.Contains) >= 2 && QuoteOn(turn, sides[0], AnswerDigests.TradeOff) is { } quote)
                {
                    return new DebriefSide(turn.Stage, quote);
                }
            }
        }

        return null;
    }

    private static string[] TopicsOfSignal(string signal) =>
        (signal.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? signal[(colon + 1)..] : signal).Split('+');

    private static string? QuoteOn(DebriefTurn turn, string topic, string key) =>
        turn.Quotes.FirstOrDefault(q => q.Key == key && AnswerDigests.TopicsIn(q.Text).Contains(topic))?.Text;

    private static string? FirstQuote(IEnumerable<DebriefTurn> turns) => turns.SelectMany(t => t.Quotes).FirstOrDefault()?.Text;

    /// <summary>A bank's questions never change, and reading their topics is most of a debrief's work, so each is read once.</summary>
    private static IReadOnlyList<string> TopicsOfQuestion(Question question) =>
        QuestionTopics.GetValue(question, static q => AnswerDigests.TopicsIn(QuestionText(q)));

    private static readonly ConditionalWeakTable<Question, IReadOnlyList<string>> QuestionTopics = new();

    private static string QuestionText(Question question) =>
        string.Join("\n", [question.Prompt, .. question.Rubric.Select(p => p.Text), .. question.Rubric.SelectMany(p => p.Evidence), question.ReferenceAnswer ?? string.Empty]);

    private static HashSet<string> ContentWords(string text) =>
        [.. Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 4 && !StopWords.Contains(w))];

    private static readonly HashSet<string> StopWords = new(
        ["what", "does", "with", "that", "this", "have", "your", "you're", "there", "their", "they", "them", "from", "into", "when",
         "where", "which", "while", "would", "could", "should", "about", "team", "teams", "will", "than", "then", "some", "much",
         "many", "more", "most", "each", "every", "also", "just", "only", "like", "here", "make", "need", "how's", "ones"],
        StringComparer.Ordinal);

    [GeneratedRegex(@"\d", RegexOptions.CultureInvariant)]
    private static partial Regex Digit();

    [GeneratedRegex(@"[a-z][a-z'-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
