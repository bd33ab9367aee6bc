using System.Globalization;
using System.Text.Json;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Discord.Commands;

/// <summary>What a <c>/mock</c> command asks for, parsed from Discord's option tree.</summary>
internal abstract record MockCommand
{
    public const string Name = "mock";

    /// <summary>The <c>/mock</c> command tree as registered with Discord.</summary>
    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new CommandDefinition(
            Name,
            "Practise an ML/LLM engineering interview with judged feedback",
            Options:
            [
                new CommandOptionDefinition(CommandOptionTypes.SubCommand, "start", "Start a mock interview in a thread of its own", Options:
                [
                    new CommandOptionDefinition(CommandOptionTypes.Text, "plan", "Which interview to run", Required: true, Choices: Choices(Vocabulary.PlanWords)),
                    new CommandOptionDefinition(CommandOptionTypes.Text, "track", "Only questions for this track", Choices: Choices(Vocabulary.TrackWords)),
                    new CommandOptionDefinition(CommandOptionTypes.Text, "level", "Only questions for this level", Choices: Choices(Vocabulary.LevelWords)),
                    new CommandOptionDefinition(CommandOptionTypes.WholeNumber, "questions", "How many main questions", MinValue: 1, MaxValue: InterviewOptions.MaxQuestions),
                ]),
                Subcommand("hint", "A hint on the current question"),
                Subcommand("skip", "Skip the current question"),
                Subcommand("end", "End the interview now and get the scorecard"),
                Subcommand("resume", "Post the current question again (in a new thread if yours is gone)"),
                Subcommand("history", "Your completed interviews and how you are trending"),
                Subcommand("forget-me", "Delete everything the bot keeps about you"),
            ],
            Contexts: [0]),
    ];

    /// <summary>Parses a <c>/mock</c> interaction's data; a problem is a sentence for the candidate.</summary>
    public static MockCommand Parse(InteractionData? data)
    {
        if (data?.Name != Name || data.Options is not [var sub] || sub.Type != CommandOptionTypes.SubCommand)
        {
            return new Unknown("That command is not one I know. Try `/mock start`.");
        }

        return sub.Name switch
        {
            "start" => ParseStart(sub.Options ?? []),
            "hint" => new Hint(),
            "skip" => new Skip(),
            "end" => new End(),
            "resume" => new Resume(),
            "history" => new History(),
            "forget-me" => new ForgetMe(),
            _ => new Unknown($"`/mock {sub.Name}` is not a command I know."),
        };
    }

    private static MockCommand ParseStart(IReadOnlyList<CommandOption> options)
    {
        var values = options.ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        if (!Vocabulary.TryParsePlan(Text(values, "plan"), out var plan))
        {
            return new Unknown($"Choose a plan: {string.Join(", ", Vocabulary.PlanWords)}.");
        }

        Level? level = null;
        if (Text(values, "level") is { } levelText)
        {
            if (!Vocabulary.TryParseLevel(levelText, out var parsed))
            {
                return new Unknown($"Choose a level: {string.Join(", ", Vocabulary.LevelWords)}.");
            }

            level = parsed;
        }

        Track? track = null;
        if (Text(values, "track") is { } trackText)
        {
            if (!Vocabulary.TryParseTrack(trackText, out var parsed))
            {
                return new Unknown($"Choose a track: {string.Join(", ", Vocabulary.TrackWords)}.");
            }

            track = parsed;
        }

        int? count = values.TryGetValue("questions", out var raw) && raw is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var n) ? n : null;
        var interview = new InterviewOptions(plan, level, track, count);
        return interview.Problem() is { } problem ? new Unknown(problem) : new Start(interview);
    }

    private static string? Text(Dictionary<string, JsonElement?> values, string name) =>
        values.TryGetValue(name, out var value) && value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static CommandOptionDefinition Subcommand(string name, string description) => new(CommandOptionTypes.SubCommand, name, description);

    private static List<CommandChoice> Choices(IReadOnlyList<string> words) => [.. words.Select(w => new CommandChoice(w, w))];

    public sealed record Start(InterviewOptions Options) : MockCommand;

    public sealed record Hint : MockCommand;

    public sealed record Skip : MockCommand;

    public sealed record End : MockCommand;

    public sealed record Resume : MockCommand;

    public sealed record History : MockCommand;

    public sealed record ForgetMe : MockCommand;

    /// <summary>Not a command we can run; <paramref name="Problem"/> says why.</summary>
    public sealed record Unknown(string Problem) : MockCommand;

    public override string ToString() => GetType().Name.ToLower(CultureInfo.InvariantCulture);
}
