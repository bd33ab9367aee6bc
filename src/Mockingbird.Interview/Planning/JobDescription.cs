using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Planning;

/// <summary>
/// The job a candidate prepares for, read from the posting they pasted: its requirements (for the scorecard's
/// coverage and the interviewer's follow-ups), the bank topics it names and the track it leans to (for choosing
/// questions). The posting's own text is not kept: the requirements are what the interview uses.
/// </summary>
public sealed record JobDescription(IReadOnlyList<string> Requirements, IReadOnlyList<string> Topics, Track? Track)
{
    /// <summary>The longest posting taken; also the longest text a Discord form field holds.</summary>
    public const int MaxCharacters = 4000;

    /// <summary>Fewer words than this is a title, not a posting to tailor an interview to.</summary>
    public const int MinWords = 12;

    public const int MaxRequirements = 10;

    public const int MaxRequirementLength = 140;

    /// <summary>Reads a pasted posting, or says in one sentence why it cannot be used.</summary>
    public static JobDescriptionReading Read(string? text, QuestionBank bank)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new(null, "The job description is empty: paste the posting's text (its requirements at least), or start without one.");
        }

        if (text.Length > MaxCharacters)
        {
            return new(null, string.Create(CultureInfo.InvariantCulture, $"The job description is {text.Length:N0} characters and I take up to {MaxCharacters:N0}: paste its requirements and responsibilities only."));
        }

        var words = JobText.Words(text);
        if (words.Count < MinWords)
        {
            return new(null, "That job description is too short to tailor an interview to: paste the posting's requirements, a few lines at least.");
        }

        var requirements = JobText.Requirements(text);
        if (requirements.Count == 0)
        {
            return new(null, "I could not find any requirements in that job description: paste the lines that say what the role needs.");
        }

        var normalised = JobText.Normalised(text);
        return new(new JobDescription(requirements, JobText.TopicsNamed(normalised, bank), JobText.TrackLeanedTo(normalised)), null);
    }

    /// <summary>How strongly a question suits this job: the topics it shares with the posting count most, its track next.</summary>
    public int Weight(Question question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var shared = question.Topics.Count(Topics.Contains);
        return (shared * 2) + (Track is { } track && question.Tracks.Contains(track) ? 1 : 0);
    }

    /// <summary>Whether an answer speaks to a requirement: at least half of the requirement's own terms (up to three) appear in it.</summary>
    public static bool Covers(string requirement, string answer)
    {
        ArgumentNullException.ThrowIfNull(requirement);
        ArgumentNullException.ThrowIfNull(answer);
        var terms = JobText.KeyTerms(requirement);
        if (terms.Count == 0)
        {
            return false;
        }

        var said = JobText.Words(JobText.Normalised(answer)).Select(JobText.Stem).ToHashSet(StringComparer.Ordinal);
        var needed = Math.Min(3, (terms.Count + 1) / 2);
        return terms.Count(said.Contains) >= needed;
    }
}

/// <summary>A job description read from a posting, or the problem that kept it from being read.</summary>
public sealed record JobDescriptionReading(JobDescription? Job, string? Problem);

/// <summary>The word work behind <see cref="JobDescription"/>: plain, deterministic, and the same in every process.</summary>
internal static partial class JobText
{
    /// <summary>Words that say how much of something a posting wants, not what: they never make a requirement covered.</summary>
    private static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "or", "the", "of", "to", "in", "on", "for", "with", "as", "at", "by", "from", "into", "is", "are",
        "be", "you", "your", "we", "our", "will", "can", "have", "has", "who", "that", "this", "these", "their", "such",
        "experience", "experienced", "year", "years", "strong", "ability", "able", "knowledge", "skill", "skills",
        "working", "work", "familiarity", "familiar", "proficiency", "proficient", "understanding", "including",
        "excellent", "good", "solid", "deep", "plus", "bonus", "preferred", "required", "must", "nice", "using", "use",
        "other", "etc", "e", "g", "ie", "eg", "role", "team", "teams", "candidate", "ideal", "hands", "proven",
        "track", "record", "degree", "equivalent", "related", "field", "like", "least", "more", "across",
    };

    /// <summary>A posting's words for a bank topic that the topic's own name would not match.</summary>
    private static readonly (string Phrase, string Topic)[] Aliases =
    [
        ("retrieval augmented generation", "rag"),
        ("retrieval augmented", "rag"),
        ("a b test", "ab-testing"),
        ("ab test", "ab-testing"),
        ("fine tun", "fine-tuning"),
        ("finetun", "fine-tuning"),
        ("qlora", "lora"),
        ("vector database", "vector-search"),
        ("vector db", "vector-search"),
        ("evals", "llm-evaluation"),
        ("llm evaluation", "llm-evaluation"),
        ("evaluation of llm", "llm-evaluation"),
        ("transformer", "transformers"),
        ("prompt design", "prompt-engineering"),
        ("prompting", "prompt-engineering"),
        ("agentic", "agents"),
        ("tool calling", "tool-use"),
        ("function calling", "tool-use"),
        ("guardrail", "guardrails"),
        ("recommender", "recommendation-systems"),
        ("recommendation", "recommendation-systems"),
        ("gpu", "gpu-cost"),
        ("inference", "llm-inference"),
        ("serving", "model-serving"),
        ("kubernetes", "deployment"),
        ("ci cd", "deployment"),
        ("feature store", "feature-stores"),
        ("on call", "on-call"),
        ("incident", "incident-response"),
        ("stakeholder", "stakeholder-management"),
        ("mentor", "mentoring"),
        ("experiment", "experimentation"),
        ("drift", "drift"),
        ("observability", "monitoring"),
        ("hallucinat", "hallucination"),
        ("large language model", "llm-foundations"),
    ];

    /// <summary>Cues that a posting leans to a track: a track needs at least two, and more than any other track.</summary>
    private static readonly (Track Track, string[] Cues)[] TrackCues =
    [
        (Track.Mlops, ["kubernetes", "docker", "terraform", "ci cd", "pipeline", "infrastructure", "platform", "mlflow", "kubeflow", "airflow", "deployment", "monitoring", "reliability", "on call", "observability"]),
        (Track.Research, ["research", "publication", "paper", "phd", "novel", "state of the art", "neurips", "icml", "iclr", "pretraining", "pre training"]),
        (Track.Applied, ["product", "customer", "user facing", "ship", "business", "stakeholder", "feature", "a b test", "ab test"]),
    ];

    public static IReadOnlyList<string> Words(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value)];

    /// <summary>Lower case, one spelling (-ise for -ize), every run of other characters one space, padded with spaces.</summary>
    public static string Normalised(string text)
    {
        var spaced = NotWordPattern().Replace(text.ToLowerInvariant(), " ");
        var british = IzePattern().Replace(spaced, "is");
        return $" {british.Trim()} ";
    }

    /// <summary>Word stems short enough that "trained" meets "training", long enough that "model" does not meet "mode".</summary>
    public static string Stem(string word) => word.Length > 5 ? word[..5] : word;

    public static IReadOnlyList<string> KeyTerms(string requirement) =>
        [.. Words(Normalised(requirement)).Where(w => !Filler.Contains(w) && !w.All(char.IsAsciiDigit)).Select(Stem).Distinct(StringComparer.Ordinal)];

    /// <summary>Bullet lines when the posting has them, otherwise its sentences; short or repeated ones left out.</summary>
    public static IReadOnlyList<string> Requirements(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var bullets = lines.Where(l => BulletPattern().IsMatch(l)).Select(l => BulletPattern().Replace(l, string.Empty)).ToList();
        var candidates = bullets.Count > 0
            ? bullets
            : [.. Sentences.Split(text).SelectMany(sentence => ClauseEndPattern().Split(sentence))];

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var requirements = new List<string>();
        foreach (var candidate in candidates)
        {
            var line = Shortened(string.Join(' ', candidate.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            if (KeyTerms(line).Count >= 2 && seen.Add(Normalised(line)) && requirements.Count < JobDescription.MaxRequirements)
            {
                requirements.Add(line);
            }
        }

        return requirements;
    }

    public static IReadOnlyList<string> TopicsNamed(string normalised, QuestionBank bank)
    {
        var topics = bank.Questions.SelectMany(q => q.Topics).ToHashSet(StringComparer.Ordinal);
        var named = topics.Where(topic => Names(normalised, topic.Replace('-', ' ')));
        var aliased = Aliases.Where(a => topics.Contains(a.Topic) && Names(normalised, a.Phrase)).Select(a => a.Topic);
        return [.. named.Concat(aliased).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    public static Track? TrackLeanedTo(string normalised)
    {
        var counts = TrackCues.Select(t => (t.Track, Count: t.Cues.Count(cue => Names(normalised, Normalised(cue).Trim())))).OrderByDescending(t => t.Count).ToList();
        return counts[0].Count >= 2 && counts[0].Count > counts[1].Count ? counts[0].Track : null;
    }

    /// <summary>A phrase at the start of a word: "agent" names "agents", "rag" does not name "fragile".</summary>
    private static bool Names(string normalised, string phrase) =>
        normalised.Contains(string.Concat(" ", Normalised(phrase).Trim()), StringComparison.Ordinal);

    private static string Shortened(string line)
    {
        if (line.Length <= JobDescription.MaxRequirementLength)
        {
            return line;
        }

        var cut = line.LastIndexOf(' ', JobDescription.MaxRequirementLength - 1);
        return new StringBuilder(line, 0, cut > 0 ? cut : JobDescription.MaxRequirementLength - 1, JobDescription.MaxRequirementLength).Append('…').ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NotWordPattern();

    [GeneratedRegex(@"(?<=\p{L}{3})iz(?=e|ing|ation)")]
    private static partial Regex IzePattern();

    [GeneratedRegex(@"^(?:[-*•·‣▪–]|\d{1,2}[.)])\s*")]
    private static partial Regex BulletPattern();

    // A posting's sentences often list several requirements, one per clause.
    [GeneratedRegex(@"(?<=;)\s+")]
    private static partial Regex ClauseEndPattern();
}
