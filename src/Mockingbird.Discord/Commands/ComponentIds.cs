using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord.Commands;

/// <summary>
/// The <c>custom_id</c>s of the bot's buttons and form (its inputs' are <see cref="AnswerForm"/>'s); Discord echoes
/// them back when one is used. Buttons on a question name it (<c>mb:skip:3:1</c> = follow-up 1 on question 3), so a
/// click on an earlier question, or a second click, cannot act on the question now on screen; a hint button also
/// names its hint (<c>mb:hint:3:1:2</c>).
/// </summary>
internal static class ComponentIds
{
    public const string End = "mb:end";

    private const string AnswerFormPrefix = "mb:answer:";
    private const string AnswerModalPrefix = "mb:answer-modal:";
    private const string HintPrefix = "mb:hint:";
    private const string SkipPrefix = "mb:skip:";
    private const string RateUpPrefix = "mb:rate:up:";
    private const string RateDownPrefix = "mb:rate:down:";
    private const string DailyAnswerPrefix = "mb:daily:";
    private const string DailyModalPrefix = "mb:daily-modal:";
    private const string DrillAnswerPrefix = "mb:drill:";
    private const string DrillModalPrefix = "mb:drill-modal:";
    private const string JobModalPrefix = "mb:start-job:";
    private const string DisagreePrefix = "mb:disagree:";
    private const string DisagreeModalPrefix = "mb:disagree-modal:";
    private const string VotePrefix = "mb:vote:";

    /// <summary>Discord's limit on a <c>custom_id</c>.</summary>
    public const int MaxLength = 100;

    /// <summary>
    /// A button's id: its kind's prefix and its value. A rating button carries the arm of its feedback and its
    /// interview (<see cref="RatedFeedback"/>), so each vote counts for the prompt that wrote it.
    /// </summary>
    public static string Of(ChatButton button)
    {
        ArgumentNullException.ThrowIfNull(button);
        return button.Kind switch
        {
            ChatButtonKind.AnswerForm => AnswerFormPrefix + button.Value,
            ChatButtonKind.Hint => HintPrefix + button.Value,
            ChatButtonKind.Skip => SkipPrefix + button.Value,
            ChatButtonKind.End => End,
            ChatButtonKind.RateUp or ChatButtonKind.RateDown => Rate(button.Value, helpful: button.Kind == ChatButtonKind.RateUp),
            ChatButtonKind.Disagree => Checked(DisagreePrefix + button.Value),
            _ => throw new ArgumentOutOfRangeException(nameof(button), button.Kind, "Not a button kind."),
        };
    }

    /// <summary>
    /// A daily round's Answer button: it names the round (<c>mb:daily:discord:{guild}:{channel}:{slot}</c>, at most 86
    /// characters with 20-digit snowflakes and a slot posted on demand), so a press on an old post acts on that
    /// round, which then says it has closed.
    /// </summary>
    public static string DailyAnswer(string roundId) => Checked(DailyAnswerPrefix + roundId);

    /// <summary>The form a daily round's Answer button opens; its submission names the round too.</summary>
    public static string DailyModal(string roundId) => Checked(DailyModalPrefix + roundId);

    public static bool IsDailyAnswer(string? customId, out string roundId) => TryParseRound(customId, DailyAnswerPrefix, out roundId);

    public static bool IsDailyModal(string? customId, out string roundId) => TryParseRound(customId, DailyModalPrefix, out roundId);

    /// <summary>
    /// A drill's Answer button: it names the user it was sent to and the drill (<c>mb:drill:{user}:{dimension}@{ms}</c>),
    /// so a press by anyone else is refused and the answer lands on that drill.
    /// </summary>
    public static string DrillAnswer(string userId, string drillId) => Checked($"{DrillAnswerPrefix}{userId}:{drillId}");

    /// <summary>The form a drill's Answer button opens; its submission names the user and the drill too.</summary>
    public static string DrillModal(string userId, string drillId) => Checked($"{DrillModalPrefix}{userId}:{drillId}");

    public static bool IsDrillAnswer(string? customId, out string userId, out string drillId) => TryParseDrill(customId, DrillAnswerPrefix, out userId, out drillId);

    public static bool IsDrillModal(string? customId, out string userId, out string drillId) => TryParseDrill(customId, DrillModalPrefix, out userId, out drillId);

    /// <summary>The job description form of a start: it carries the start's options, which come back with the description.</summary>
    public static string JobModal(InterviewOptions options) => Checked(JobModalPrefix + ChatCommand.StartWords(options));

    /// <summary>Whether the id is a job description form's, and if so the start it completes.</summary>
    public static bool IsJobModal(string? customId, out ChatCommand.Start start)
    {
        start = null!;
        if (!TryParseRound(customId, JobModalPrefix, out var words) || ChatCommand.ParseText($"start {words}") is not ChatCommand.Start parsed)
        {
            return false;
        }

        start = parsed;
        return true;
    }

    /// <summary>The I-disagree form; it names the judged turn as its button did (<see cref="DisputedFeedback"/>).</summary>
    public static string DisagreeModal(DisputedFeedback feedback) => Checked(DisagreeModalPrefix + feedback.Encode());

    public static bool IsDisagree(string? customId, out DisputedFeedback feedback) => TryParseDisputed(customId, DisagreePrefix, out feedback);

    public static bool IsDisagreeModal(string? customId, out DisputedFeedback feedback) => TryParseDisputed(customId, DisagreeModalPrefix, out feedback);

    /// <summary>A blind ballot's score button: <c>mb:vote:{dispute}:{score}</c>.</summary>
    public static string Vote(string disputeId, int score) => Checked(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{VotePrefix}{disputeId}:{score}"));

    public static bool IsVote(string? customId, out string disputeId, out int score)
    {
        disputeId = string.Empty;
        score = 0;
        if (!TryParseRound(customId, VotePrefix, out var rest) || rest.Split(':') is not [{ Length: > 0 } id, var digits]
            || !int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out score))
        {
            return false;
        }

        disputeId = id;
        return true;
    }

    public static string AnswerModal(QuestionPosition on) => AnswerModalPrefix + QuestionPositions.Encode(on);

    public static string Rate(string carried, bool helpful) => (helpful ? RateUpPrefix : RateDownPrefix) + carried;

    public static bool IsAnswerForm(string? customId, out QuestionPosition on) => TryParse(customId, AnswerFormPrefix, out on);

    public static bool IsAnswerModal(string? customId, out QuestionPosition on) => TryParse(customId, AnswerModalPrefix, out on);

    /// <summary>The input a question's button asks for, or <c>null</c> for any other id.</summary>
    public static InterviewInput? ButtonInput(string? customId) =>
        customId == End ? ChatButton.InputOf(ChatButtonKind.End, null)
        : customId?.StartsWith(HintPrefix, StringComparison.Ordinal) == true ? ChatButton.InputOf(ChatButtonKind.Hint, customId[HintPrefix.Length..])
        : customId?.StartsWith(SkipPrefix, StringComparison.Ordinal) == true ? ChatButton.InputOf(ChatButtonKind.Skip, customId[SkipPrefix.Length..])
        : null;

    /// <summary>Whether the id is a rating button's, and if so which way and what it carries (<see cref="RatedFeedback"/>).</summary>
    public static bool TryParseRate(string? customId, out bool helpful, out string carried)
    {
        helpful = customId?.StartsWith(RateUpPrefix, StringComparison.Ordinal) == true;
        carried = string.Empty;
        if (customId is null)
        {
            return false;
        }

        if (helpful || customId.StartsWith(RateDownPrefix, StringComparison.Ordinal))
        {
            carried = customId[(helpful ? RateUpPrefix : RateDownPrefix).Length..];
            return true;
        }

        // Feedback posted before buttons named their arm carries "mb:rate:<turn>:<up|down>": still a vote, arm unknown.
        if (customId.StartsWith("mb:rate:", StringComparison.Ordinal) && customId.Split(':') is [_, _, var turn, var direction and ("up" or "down")] && turn.All(char.IsAsciiDigit))
        {
            helpful = direction == "up";
            carried = FeedbackArm.Unknown;
            return true;
        }

        return false;
    }

    private static string Checked(string customId) => customId.Length <= MaxLength
        ? customId
        : throw new ArgumentException($"A custom_id holds at most {MaxLength} characters; this one has {customId.Length}.", nameof(customId));

    private static bool TryParseRound(string? customId, string prefix, out string roundId)
    {
        roundId = customId is not null && customId.StartsWith(prefix, StringComparison.Ordinal) ? customId[prefix.Length..] : string.Empty;
        return roundId.Length > 0;
    }

    private static bool TryParseDrill(string? customId, string prefix, out string userId, out string drillId)
    {
        (userId, drillId) = TryParseRound(customId, prefix, out var rest) && rest.Split(':', 2) is [{ Length: > 0 } user, { Length: > 0 } drill]
            ? (user, drill)
            : (string.Empty, string.Empty);
        return drillId.Length > 0;
    }

    private static bool TryParseDisputed(string? customId, string prefix, out DisputedFeedback feedback)
    {
        feedback = null!;
        if (!TryParseRound(customId, prefix, out var value) || DisputedFeedback.Decode(value) is not { } decoded)
        {
            return false;
        }

        feedback = decoded;
        return true;
    }

    private static bool TryParse(string? customId, string prefix, out QuestionPosition on)
    {
        on = new QuestionPosition(0, null);
        if (customId is null || !customId.StartsWith(prefix, StringComparison.Ordinal) || QuestionPositions.Decode(customId[prefix.Length..]) is not { } decoded)
        {
            return false;
        }

        on = decoded;
        return true;
    }
}
