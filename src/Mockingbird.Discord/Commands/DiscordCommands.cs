using System.Text.Json;
using Mockingbird.Chat;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Discord.Commands;

/// <summary>The <c>/mock</c> slash command as Discord knows it: its registered tree, and its options parsed back.</summary>
internal static class DiscordCommands
{
    public const string Name = "mock";

    public const string Usage = "/mock";

    /// <summary>The <c>/mock</c> command tree as registered with Discord.</summary>
    public static IReadOnlyList<CommandDefinition> Definitions { get; } =
    [
        new CommandDefinition(
            Name,
            "Practise an ML/LLM engineering interview with judged feedback",
            Options:
            [
                .. ChatCommand.Subcommands.Select(s => s.Name == "start"
                    ? new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description, Options:
                    [
                        new CommandOptionDefinition(CommandOptionTypes.Text, "plan", "Which interview to run", Required: true, Choices: Choices(Vocabulary.PlanWords)),
                        new CommandOptionDefinition(CommandOptionTypes.Text, "track", "Only questions for this track", Choices: Choices(Vocabulary.TrackWords)),
                        new CommandOptionDefinition(CommandOptionTypes.Text, "level", "Only questions for this level", Choices: Choices(Vocabulary.LevelWords)),
                        new CommandOptionDefinition(CommandOptionTypes.WholeNumber, "questions", "How many main questions", MinValue: 1, MaxValue: InterviewOptions.MaxQuestions),
                    ])
                    : new CommandOptionDefinition(CommandOptionTypes.SubCommand, s.Name, s.Description)),
            ],
            Contexts: [0]),
    ];

    /// <summary>Parses a <c>/mock</c> interaction's option tree.</summary>
    public static ChatCommand Parse(InteractionData? data)
    {
        if (data?.Name != Name || data.Options is not [var sub] || sub.Type != CommandOptionTypes.SubCommand)
        {
            return new ChatCommand.Unknown("That command is not one I know.");
        }

        if (sub.Name != "start")
        {
            return ChatCommand.Named(sub.Name);
        }

        var values = (sub.Options ?? []).ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        int? count = values.TryGetValue("questions", out var raw) && raw is { ValueKind: JsonValueKind.Number } number && number.TryGetInt32(out var n) ? n : null;
        return ChatCommand.StartWith(Text(values, "plan"), Text(values, "level"), Text(values, "track"), count);
    }

    private static string? Text(Dictionary<string, JsonElement?> values, string name) =>
        values.TryGetValue(name, out var value) && value is { ValueKind: JsonValueKind.String } text ? text.GetString() : null;

    private static List<CommandChoice> Choices(IReadOnlyList<string> words) => [.. words.Select(w => new CommandChoice(w, w))];
}
