using System.Text.Json;
using Mockingbird.Chat;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.Discord.Commands;

/// <summary>The <c>/mock</c> slash command as Discord knows it: its registered tree, and its options parsed back.</summary>
internal static class DiscordCommands
{
    public const string Name = "mock";

    public const string Usage = "/mock";

    /// <summary>
    /// Channels a daily question can be posted in, with a thread on each post: text and announcement channels.
    /// Declared before <see cref="Definitions"/>, which reads it while the class is initialised.
    /// </summary>
    public static readonly IReadOnlyList<int> DailyChannelTypes = [ChannelTypes.GuildText, ChannelTypes.GuildAnnouncement];

    /// <summary>The <c>/mock</c> command tree as registered with Discord.</summary>
    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new CommandDefinition(
            Name,
            "Practise an ML/LLM engineering interview with judged feedback",
            Options:
            [
                .. ChatCommand.Subcommands.Select(s => s.Name switch
                {
                    "start" => new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description, Options:
                    [
                        new CommandOptionDefinition(CommandOptionTypes.Text, "plan", "Which interview to run", Required: true, Choices: Choices(Vocabulary.PlanWords)),
                        new CommandOptionDefinition(CommandOptionTypes.Text, "track", "Only questions for this track", Choices: Choices(Vocabulary.TrackWords)),
                        new CommandOptionDefinition(CommandOptionTypes.Text, "level", "Only questions for this level", Choices: Choices(Vocabulary.LevelWords)),
                        new CommandOptionDefinition(CommandOptionTypes.WholeNumber, "questions", "How many main questions", MinValue: 1, MaxValue: InterviewOptions.MaxQuestions),
                        new CommandOptionDefinition(CommandOptionTypes.TrueOrFalse, ChatCommand.JobWord, "Paste the job description you prepare for, to tailor the questions (opens a form)"),
                    ]),
                    "privacy" => new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description, Options:
                    [
                        new CommandOptionDefinition(CommandOptionTypes.Text, "experiments", "on: take part in prompt experiments; off: stay in the baseline for good", Choices: Choices(["on", "off"])),
                    ]),
                    "drills" => new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description, Options:
                    [
                        new CommandOptionDefinition(CommandOptionTypes.Text, "state", "on: drills by direct message; off: no more drills; none: show", Choices: Choices(["on", "off"])),
                        new CommandOptionDefinition(CommandOptionTypes.Text, "timezone", "Your IANA time zone for quiet hours, e.g. Europe/Berlin (default UTC)", MaxLength: 64),
                    ]),
                    "disputes" => new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description, Options:
                    [
                        new CommandOptionDefinition(CommandOptionTypes.Text, "action", "on: score disputed answers; off: stop; vote: the next blind ballot; none: show", Choices: Choices(["on", "off", "vote"])),
                    ]),
                    AdminGroup => new CommandOptionDefinition(CommandOptionTypes.SubCommandGroup, s.Name, s.Description, Options: [AdminExperiments()]),
                    _ => new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description),
                }),
                new CommandOptionDefinition(CommandOptionTypes.SubCommandGroup, DailyGroup, "A daily question for a study group, answered blind and judged at the deadline", Options: DailyDefinitions()),
            ],
            Contexts: [0]),
    ];

    /// <summary>
    /// The most Discord lets a string option hold. Below the bot's own limit for suggestions, so a longer one is cut
    /// off by Discord's box before it is sent rather than refused after.
    /// </summary>
    public const int MaxSuggestionLength = 6000;

    /// <summary>The subcommand group of study groups' daily questions: <c>/mock daily set</c> and the rest.</summary>
    public const string DailyGroup = "daily";

    /// <summary>
    /// A <c>/mock daily …</c> interaction as a daily command, or <c>null</c> when it is another <c>/mock</c>
    /// subcommand. Values arrive as Discord checked them (a channel of the allowed types, hours within range) and are
    /// checked again when the command runs, so a reply can say what is wrong.
    /// </summary>
    public static DailyCommand? ParseDaily(InteractionData? data)
    {
        if (data?.Name != Name || data.Options is not [{ Type: CommandOptionTypes.SubCommandGroup, Name: DailyGroup } group])
        {
            return null;
        }

        if (group.Options is not [{ Type: CommandOptionTypes.SubCommand } sub])
        {
            return new DailyCommand.Help();
        }

        var values = (sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        var channel = Text(values, "channel");
        return sub.Name switch
        {
            "set" => new DailyCommand.SetUp(
                channel,
                Text(values, "time"),
                Text(values, "timezone"),
                Text(values, "stage"),
                Text(values, "level"),
                Text(values, "track"),
                Text(values, "topic"),
                values.TryGetValue("hours", out var raw) && raw is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var hours) ? hours : null,
                Text(values, "role")),
            "show" => new DailyCommand.Show(),
            "off" => new DailyCommand.Off(channel),
            "now" => new DailyCommand.Now(channel),
            "streak" => new DailyCommand.Streak(channel),
            "board" => BoardPeriods.TryParse(Text(values, "period") ?? "week", out var period)
                ? new DailyCommand.Board(channel, period)
                : new DailyCommand.Invalid("Choose a board: week, month or all."),
            "boards" => Text(values, "state") switch
            {
                "on" => new DailyCommand.Boards(true),
                "off" => new DailyCommand.Boards(false),
                _ => new DailyCommand.Invalid("Choose on or off."),
            },
            "feedback" => Text(values, "where") switch
            {
                "private" => new DailyCommand.FeedbackPrivately(true),
                "thread" => new DailyCommand.FeedbackPrivately(false),
                _ => new DailyCommand.Invalid("Choose thread or private."),
            },
            "suggest" => new DailyCommand.Suggest(Text(values, "text")),
            "suggestions" => new DailyCommand.Suggestions(channel),
            "approve" => new DailyCommand.Approve(Text(values, "id"), channel),
            "reject" => new DailyCommand.Reject(Text(values, "id"), channel),
            _ => new DailyCommand.Invalid($"`{sub.Name}` is not a daily command I know."),
        };
    }

    /// <summary>The subcommand group of the admin commands: <c>/mock admin experiments</c>.</summary>
    public const string AdminGroup = "admin";

    /// <summary>Parses a <c>/mock</c> interaction's option tree.</summary>
    public static ChatCommand Parse(InteractionData? data)
    {
        if (data?.Name == Name && data.Options is [{ Type: CommandOptionTypes.SubCommandGroup, Name: AdminGroup } admin])
        {
            return admin.Options is [{ Type: CommandOptionTypes.SubCommand, Name: "experiments" } experiments]
                && (experiments.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal) is var chosen
                ? ChatCommand.AdminWith(Text(chosen, "action"), Text(chosen, "experiment"), Text(chosen, "arm"))
                : ChatCommand.AdminWith(null, null, null);
        }

        if (data?.Name != Name || data.Options is not [var sub] || sub.Type != CommandOptionTypes.SubCommand)
        {
            return new ChatCommand.Unknown("That command is not one I know.");
        }

        if (sub.Name == "privacy")
        {
            return ChatCommand.PrivacyWith(Text((sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal), "experiments"));
        }

        if (sub.Name == "drills")
        {
            var chosen = (sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
            return ChatCommand.DrillsWith(Text(chosen, "state"), Text(chosen, "timezone"));
        }

        if (sub.Name == "disputes")
        {
            return ChatCommand.DisputesWith(Text((sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal), "action"));
        }

        if (sub.Name != "start")
        {
            return ChatCommand.Named(sub.Name);
        }

        var values = (sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        int? count = values.TryGetValue("questions", out var raw) && raw is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var n) ? n : null;
        var withJob = values.TryGetValue(ChatCommand.JobWord, out var job) && job is { ValueKind: JsonValueKind.True };
        return ChatCommand.StartWith(Text(values, "plan"), Text(values, "level"), Text(values, "track"), count, withJob);
    }

    private static string? Text(Dictionary<string, JsonElement?> values, string name) =>
        values.TryGetValue(name, out var value) && value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    /// <summary>Every daily subcommand with its options; required options first, as Discord requires.</summary>
    private static List<CommandOptionDefinition> DailyDefinitions()
    {
        var described = DailyCommand.Subcommands.ToDictionary(s => s.Name, s => s.Description, StringComparer.Ordinal);
        CommandOptionDefinition Sub(string name, params CommandOptionDefinition[] options) =>
            new(CommandOptionTypes.SubCommand, name, described[name], Options: options);
        CommandOptionDefinition Channel(string description) =>
            new(CommandOptionTypes.Channel, "channel", description, ChannelTypes: DailyChannelTypes);
        const string Here = "The channel (this one when not given)";
        return
        [
            Sub(
                "set",
                new CommandOptionDefinition(CommandOptionTypes.Text, "time", "When to post, HH:mm on a 24-hour clock, e.g. 09:00", Required: true),
                new CommandOptionDefinition(CommandOptionTypes.Text, "timezone", "The time zone of that time, an IANA name such as Europe/Berlin", Required: true),
                Channel("Where to post (this channel when not given)"),
                new CommandOptionDefinition(CommandOptionTypes.Text, "stage", "Only questions of this stage", Choices: Choices(Vocabulary.StageWords)),
                new CommandOptionDefinition(CommandOptionTypes.Text, "level", "Only questions for this level", Choices: Choices(Vocabulary.LevelWords)),
                new CommandOptionDefinition(CommandOptionTypes.Text, "track", "Only questions for this track", Choices: Choices(Vocabulary.TrackWords)),
                new CommandOptionDefinition(CommandOptionTypes.Text, "topic", "Only questions on this topic, e.g. rag"),
                new CommandOptionDefinition(
                    CommandOptionTypes.WholeNumber,
                    "hours",
                    "How many hours each round takes answers (24 when not given)",
                    MinValue: (int)DailySchedule.ShortestRound.TotalHours,
                    MaxValue: (int)DailySchedule.LongestRound.TotalHours),
                new CommandOptionDefinition(CommandOptionTypes.Role, "role", "A role to mention in each post")),
            Sub("show"),
            Sub("off", Channel(Here)),
            Sub("now", Channel(Here)),
            Sub(
                "board",
                Channel(Here),
                new CommandOptionDefinition(CommandOptionTypes.Text, "period", "Which board (this week when not given)", Choices: Choices(["week", "month", "all"]))),
            Sub("streak", Channel(Here)),
            Sub("boards", new CommandOptionDefinition(CommandOptionTypes.Text, "state", "on or off", Required: true, Choices: Choices(["on", "off"]))),
            Sub("feedback", new CommandOptionDefinition(CommandOptionTypes.Text, "where", "In the round's thread, or privately", Required: true, Choices: Choices(["thread", "private"]))),
            Sub(
                "suggest",
                new CommandOptionDefinition(
                    CommandOptionTypes.Text,
                    "text",
                    "The question: free text, or the bank's YAML on one line, {id: …, stage: …, rubric: […]}",
                    Required: true,
                    MaxLength: Math.Min(MaxSuggestionLength, DailySuggestions.MaxCharacters))),
            Sub("suggestions", Channel(Here)),
            Sub("approve", SuggestionId("Which suggestion to approve, such as s3"), Channel(Here)),
            Sub("reject", SuggestionId("Which suggestion to reject, such as s3"), Channel(Here)),
        ];

        static CommandOptionDefinition SuggestionId(string description) =>
            new(CommandOptionTypes.Text, "id", description, Required: true, MaxLength: 12);
    }

    /// <summary><c>/mock admin experiments</c>: an action, then what it acts on, as the typed command takes them.</summary>
    private static CommandOptionDefinition AdminExperiments() => new(
        CommandOptionTypes.SubCommand,
        "experiments",
        "List the prompt experiments, report on one, or stop an arm",
        Options:
        [
            new CommandOptionDefinition(CommandOptionTypes.Text, "action", "What to do", Required: true, Choices: Choices(["list", "report", "stop"])),
            new CommandOptionDefinition(CommandOptionTypes.Text, "experiment", "The experiment's id (for report and stop)", MaxLength: 100),
            new CommandOptionDefinition(CommandOptionTypes.Text, "arm", "The arm to stop (the challenger when there are only two arms)", MaxLength: 100),
        ]);

    private static List<CommandChoice> Choices(IReadOnlyList<string> words) => [.. words.Select(w => new CommandChoice(w, w))];
}
