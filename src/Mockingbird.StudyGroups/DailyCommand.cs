using System.Globalization;
using System.Text.RegularExpressions;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Boards;

namespace Mockingbird.StudyGroups;

/// <summary>
/// A <c>/mock daily</c> subcommand, whichever platform it came from. Values arrive as typed and are checked when the
/// command runs, so a reply can say which one is wrong and why. A missing channel means the channel it was run in.
/// </summary>
public abstract partial record DailyCommand
{
    /// <summary>Every daily subcommand and what it does, for command registration and help.</summary>
    public static IReadOnlyList<(string Name, string Description)> Subcommands { get; } =
    [
        ("set", "Post a daily question in a channel (admins)"),
        ("show", "The daily questions set in this server or workspace"),
        ("off", "Stop a channel's daily question (admins)"),
        ("now", "Post the next daily question at once (admins)"),
        ("board", "The channel's board: week, month or all time"),
        ("streak", "Your streak in the channel"),
        ("boards", "Show or hide yourself on boards: on or off"),
        ("feedback", "Your daily feedback in the thread or privately: thread or private"),
        ("suggest", "Suggest a question for this channel, in the bank's YAML schema or as free text"),
        ("suggestions", "Suggested questions waiting for approval (admins)"),
        ("approve", "Approve a suggested question into the channel's pool (admins)"),
        ("reject", "Reject a suggested question (admins)"),
    ];

    /// <param name="Time">The local time of the post, <c>HH:mm</c>.</param>
    /// <param name="TimeZone">An IANA time zone, such as <c>Europe/Berlin</c>.</param>
    /// <param name="Hours">How long the round is open for answers; 24 when not given.</param>
    /// <param name="Role">A Discord role id to mention in each post.</param>
    public sealed record SetUp(
        string? Channel,
        string? Time,
        string? TimeZone,
        string? Stage = null,
        string? Level = null,
        string? Track = null,
        string? Topic = null,
        int? Hours = null,
        string? Role = null) : DailyCommand;

    public sealed record Show : DailyCommand;

    public sealed record Off(string? Channel) : DailyCommand;

    public sealed record Now(string? Channel) : DailyCommand;

    public sealed record Board(string? Channel, BoardPeriod Period) : DailyCommand;

    public sealed record Streak(string? Channel) : DailyCommand;

    public sealed record Boards(bool On) : DailyCommand;

    public sealed record FeedbackPrivately(bool Private) : DailyCommand;

    /// <param name="Text">A question in the bank's YAML schema, or free text; checked when the command runs.</param>
    public sealed record Suggest(string? Text) : DailyCommand;

    public sealed record Suggestions(string? Channel) : DailyCommand;

    /// <param name="Id">The suggestion's short id, such as <c>s3</c>.</param>
    public sealed record Approve(string? Id, string? Channel) : DailyCommand;

    public sealed record Reject(string? Id, string? Channel) : DailyCommand;

    public sealed record Help : DailyCommand;

    /// <summary>Not a command that can run; <paramref name="Problem"/> says why.</summary>
    public sealed record Invalid(string Problem) : DailyCommand;

    /// <summary>How to use the daily commands, for help and for a command that was not understood.</summary>
    public static string Usage(string command) =>
        $"{command} daily set [#channel] HH:mm Area/City [stage] [level] [track] [topic=NAME] [hours=N]: {Subcommands[0].Description.ToLowerInvariant()}\n" +
        string.Join("\n", Subcommands.Skip(1).Select(s => $"{command} daily {s.Name}: {s.Description.ToLowerInvariant()}"));

    /// <summary>
    /// Parses the words after <c>daily</c> as typed, e.g. <c>set &lt;#C123|study&gt; 09:00 Europe/Berlin design senior
    /// topic=rag hours=12</c>. A channel is written as the platform escapes it (<c>&lt;#C123|name&gt;</c>) or as its id.
    /// </summary>
    public static DailyCommand ParseText(string? text)
    {
        if (SuggestionText(text) is { } suggestion)
        {
            return new Suggest(suggestion);
        }

        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new Help();
        }

        var rest = words.Skip(1).ToArray();
        return words[0].ToLowerInvariant() switch
        {
            "set" => ParseSet(rest),
            "show" => rest.Length == 0 ? new Show() : TakesNothing("show"),
            "off" => OneChannel(rest, "off", channel => new Off(channel)),
            "now" => OneChannel(rest, "now", channel => new Now(channel)),
            "streak" => OneChannel(rest, "streak", channel => new Streak(channel)),
            "board" => ParseBoard(rest),
            "boards" => rest is [var onOff] && OnOff(onOff) is { } on ? new Boards(on) : new Invalid("Say `boards on` or `boards off`."),
            "feedback" => rest is [var where] && where.ToLowerInvariant() is "private" or "thread"
                ? new FeedbackPrivately(where.Equals("private", StringComparison.OrdinalIgnoreCase))
                : new Invalid("Say `feedback private` (sent to you alone) or `feedback thread` (in the round's thread)."),
            "suggestions" => OneChannel(rest, "suggestions", channel => new Suggestions(channel)),
            "approve" => ParseDecision(rest, "approve", (id, channel) => new Approve(id, channel)),
            "reject" => ParseDecision(rest, "reject", (id, channel) => new Reject(id, channel)),
            "help" => new Help(),
            _ => new Invalid($"`{words[0]}` is not a daily command I know."),
        };
    }

    /// <summary>A channel as written in a command: an escaped reference or a bare id; <c>null</c> when it is neither.</summary>
    public static string? ChannelId(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var match = EscapedChannel().Match(word);
        if (match.Success)
        {
            return match.Groups["id"].Value;
        }

        return BareChannel().IsMatch(word) ? word : null;
    }

    private static DailyCommand ParseSet(string[] words)
    {
        string? channel = null, time = null, zone = null, stage = null, level = null, track = null, topic = null, role = null;
        int? hours = null;
        foreach (var word in words)
        {
            var lower = word.ToLowerInvariant();
            if (word.StartsWith("<#", StringComparison.Ordinal))
            {
                channel = ChannelId(word) ?? word;
            }
            else if (LooksLikeTime().IsMatch(word))
            {
                time = word;
            }
            else if (lower.StartsWith("topic=", StringComparison.Ordinal))
            {
                topic = word["topic=".Length..];
            }
            else if (lower.StartsWith("hours=", StringComparison.Ordinal))
            {
                if (!int.TryParse(word.AsSpan("hours=".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                {
                    return new Invalid($"`{word}`: hours is a whole number from {Schedules.DailySchedule.ShortestRound.TotalHours:0} to {Schedules.DailySchedule.LongestRound.TotalHours:0}.");
                }

                hours = value;
            }
            else if (lower.StartsWith("role=", StringComparison.Ordinal))
            {
                role = word["role=".Length..];
            }
            else if (Vocabulary.TryParseStage(lower, out _))
            {
                stage = lower;
            }
            else if (Vocabulary.TryParseLevel(lower, out _))
            {
                level = lower;
            }
            else if (Vocabulary.TryParseTrack(lower, out _))
            {
                track = lower;
            }
            else if (word.Contains('/', StringComparison.Ordinal) || lower == "utc")
            {
                zone = word;
            }
            else if (channel is null && time is null && BareChannel().IsMatch(word))
            {
                channel = word;
            }
            else
            {
                return new Invalid(
                    $"`{word}` is not a time (HH:mm), a time zone (an IANA name such as Europe/Berlin or America/New_York), a stage ({string.Join(", ", Vocabulary.StageWords)}), a level, a track, topic=NAME or hours=N.");
            }
        }

        return new SetUp(channel, time, zone, stage, level, track, topic, hours, role);
    }

    private static DailyCommand ParseBoard(string[] words)
    {
        string? channel = null;
        var period = BoardPeriod.Week;
        foreach (var word in words)
        {
            if (BoardPeriods.TryParse(word, out var parsed))
            {
                period = parsed;
            }
            else if (ChannelId(word) is { } id)
            {
                channel = id;
            }
            else
            {
                return new Invalid($"`{word}` is not a board: say week, month or all.");
            }
        }

        return new Board(channel, period);
    }

    /// <summary>
    /// The text after <c>suggest</c>, with its lines and indentation kept (a question in the bank's YAML spans
    /// lines), or <c>null</c> when the command is not <c>suggest</c>. Typed commands arrive escaped as the platform
    /// sends them (<c>&amp;lt;</c> for <c>&lt;</c>), so the escapes are undone for the parser to see what was typed.
    /// </summary>
    private static string? SuggestionText(string? text)
    {
        var trimmed = (text ?? string.Empty).TrimStart();
        const string Word = "suggest";
        if (!trimmed.StartsWith(Word, StringComparison.OrdinalIgnoreCase) || (trimmed.Length > Word.Length && !char.IsWhiteSpace(trimmed[Word.Length])))
        {
            return null;
        }

        var rest = trimmed[Word.Length..].TrimStart(' ', '\t');
        rest = rest.StartsWith("\r\n", StringComparison.Ordinal) ? rest[2..] : rest.StartsWith('\n') ? rest[1..] : rest;
        return rest.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
    }

    private static DailyCommand ParseDecision(string[] words, string name, Func<string?, string?, DailyCommand> make)
    {
        string? id = null, channel = null;
        foreach (var word in words)
        {
            if (ChannelId(word) is { } named && channel is null)
            {
                channel = named;
            }
            else if (id is null)
            {
                id = word;
            }
            else
            {
                return new Invalid($"`{name}` takes a suggestion's id (such as s3) and at most a channel.");
            }
        }

        return make(id, channel);
    }

    private static DailyCommand OneChannel(string[] words, string name, Func<string?, DailyCommand> make) => words switch
    {
        [] => make(null),
        [var word] when ChannelId(word) is { } id => make(id),
        _ => new Invalid($"`{name}` takes at most a channel."),
    };

    private static Invalid TakesNothing(string name) => new($"`{name}` takes nothing after it.");

    private static bool? OnOff(string word) => word.ToLowerInvariant() switch
    {
        "on" => true,
        "off" => false,
        _ => null,
    };

    [GeneratedRegex(@"^<#(?<id>[A-Z0-9]+)(\|[^>]*)?>$", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedChannel();

    [GeneratedRegex("^(C|G)[A-Z0-9]{6,}$|^[0-9]{15,21}$", RegexOptions.CultureInvariant)]
    private static partial Regex BareChannel();

    [GeneratedRegex(@"^\d{1,2}:\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LooksLikeTime();
}
