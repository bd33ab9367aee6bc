using System.Globalization;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Chat;

/// <summary>A <c>/mock</c> subcommand, whichever chat platform it came from.</summary>
public abstract record ChatCommand
{
    /// <summary>Every subcommand and what it does, for command registration and help.</summary>
    public static IReadOnlyList<(string Name, string Description)> Subcommands { get; } =
    [
        ("start", "Start a mock interview in a thread of its own"),
        ("hint", "A hint on the current question"),
        ("skip", "Skip the current question"),
        ("end", "End the interview now and get the scorecard"),
        ("resume", "Post the current question again (in a new thread if yours is gone)"),
        ("history", "Your completed interviews and the topics to work on"),
        ("forget-me", "Delete everything the bot keeps about you"),
    ];

    /// <summary>A subcommand by name, for the ones that take no options.</summary>
    public static ChatCommand Named(string name) => name switch
    {
        "hint" => new Hint(),
        "skip" => new Skip(),
        "end" => new EndInterview(),
        "resume" => new ResumeInterview(),
        "history" => new History(),
        "forget-me" => new ForgetMe(),
        "help" or "" => new Help(),
        _ => new Unknown($"`{name}` is not a command I know."),
    };

    /// <summary>
    /// Builds a start from named values (a missing one means "any"); a problem is a sentence for the candidate.
    /// </summary>
    public static ChatCommand StartWith(string? plan, string? level, string? track, int? questions)
    {
        if (!Vocabulary.TryParsePlan(plan, out var parsedPlan))
        {
            return new Unknown($"Choose a plan: {string.Join(", ", Vocabulary.PlanWords)}.");
        }

        Level? parsedLevel = null;
        if (level is not null)
        {
            if (!Vocabulary.TryParseLevel(level, out var value))
            {
                return new Unknown($"Choose a level: {string.Join(", ", Vocabulary.LevelWords)}.");
            }

            parsedLevel = value;
        }

        Track? parsedTrack = null;
        if (track is not null)
        {
            if (!Vocabulary.TryParseTrack(track, out var value))
            {
                return new Unknown($"Choose a track: {string.Join(", ", Vocabulary.TrackWords)}.");
            }

            parsedTrack = value;
        }

        var options = new InterviewOptions(parsedPlan, parsedLevel, parsedTrack, questions);
        return options.Problem() is { } problem ? new Unknown(problem) : new Start(options);
    }

    /// <summary>
    /// Parses a command typed as text, e.g. <c>start system-design senior mlops 3</c>: after the plan, a level, a
    /// track and a number of questions in any order.
    /// </summary>
    public static ChatCommand ParseText(string? text)
    {
        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || !words[0].Equals("start", StringComparison.OrdinalIgnoreCase))
        {
            return words.Length > 1 ? new Unknown($"`{words[0]}` takes nothing after it.") : Named(words.FirstOrDefault()?.ToLowerInvariant() ?? string.Empty);
        }

        if (words.Length == 1)
        {
            return new Unknown($"Say which interview: start {string.Join(" | ", Vocabulary.PlanWords)}.");
        }

        string? level = null, track = null;
        int? questions = null;
        foreach (var word in words.Skip(2))
        {
            if (Vocabulary.TryParseLevel(word, out _))
            {
                level = word;
            }
            else if (Vocabulary.TryParseTrack(word, out _))
            {
                track = word;
            }
            else if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                questions = count;
            }
            else
            {
                return new Unknown($"`{word}` is not a level ({string.Join(", ", Vocabulary.LevelWords)}), a track ({string.Join(", ", Vocabulary.TrackWords)}) or a number of questions.");
            }
        }

        return StartWith(words[1], level, track, questions);
    }

    /// <summary>How to use the command, for <c>help</c> and for a command that was not understood.</summary>
    public static string Usage(string command) =>
        $"{command} start PLAN [LEVEL] [TRACK] [QUESTIONS], where PLAN is one of {string.Join(", ", Vocabulary.PlanWords)}\n" +
        string.Join("\n", Subcommands.Skip(1).Select(s => $"{command} {s.Name}: {s.Description.ToLowerInvariant()}"));

    public sealed record Start(InterviewOptions Options) : ChatCommand;

    public sealed record Hint : ChatCommand;

    public sealed record Skip : ChatCommand;

    public sealed record EndInterview : ChatCommand;

    public sealed record ResumeInterview : ChatCommand;

    public sealed record History : ChatCommand;

    public sealed record ForgetMe : ChatCommand;

    public sealed record Help : ChatCommand;

    /// <summary>Not a command that can run; <paramref name="Problem"/> says why.</summary>
    public sealed record Unknown(string Problem) : ChatCommand;
}
