using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Ratings;

/// <summary>
/// The arm of a comparison that a feedback belongs to: the experiment arm its candidate is counted in (also when the
/// offline judge stood in for the LLM: intention to treat), else the prompt and version, else the judge
/// (<c>offline-rubric</c>, <c>offline-fallback</c>). Short enough for a button to carry.
/// </summary>
public static class FeedbackArm
{
    public const string Unknown = "unknown";

    /// <summary>The longest arm a button carries; longer ones count as <see cref="Unknown"/> rather than break a button.</summary>
    public const int MaxLength = 80;

    public static string Of(FeedbackSource? source)
    {
        var arm = source switch
        {
            null => Unknown,
            { Experiment: { } experiment, Arm: { } counted } => $"{experiment}/{counted}",
            { PromptName: null } => source.JudgeKind,
            { Variant: { } variant } when variant != "default" => variant,
            _ => $"{source.PromptName}@{source.PromptVersion}",
        };
        return IsWellFormed(arm) ? arm : Unknown;
    }

    /// <summary>
    /// What an arm read back from a button may be: anything else is stored as <see cref="Unknown"/>. It holds a letter,
    /// so the turn numbers that earlier buttons carried never pass for an arm.
    /// </summary>
    public static bool IsWellFormed(string? arm) =>
        arm is { Length: > 0 and <= MaxLength }
        && arm.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or '/')
        && arm.Any(char.IsAsciiLetter);
}

/// <summary>
/// What a rating button carries back: its feedback's arm and, on an interview's feedback, the interview's mark
/// (<c>prompt@v2|1a2b3c4d</c>), so the candidate's own vote still counts once the interview has ended and its thread
/// is let go of. Buttons posted before they carried the mark, and any whose arm leaves no room for it, carry the arm
/// alone.
/// </summary>
public sealed record RatedFeedback(string Arm, string? Interview)
{
    /// <summary>The most the value holds, as for an arm alone, so a platform id with its prefix stays within Discord's 100 characters.</summary>
    public const int MaxLength = FeedbackArm.MaxLength;

    public static RatedFeedback Of(PostFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return new RatedFeedback(FeedbackArm.Of(feedback.Feedback.Source), feedback.Interview);
    }

    public string Encode() => Interview is not null && Arm.Length + 1 + Interview.Length <= MaxLength ? $"{Arm}|{Interview}" : Arm;

    /// <summary>Reads a button's value; an arm that is not well formed reads as <see cref="FeedbackArm.Unknown"/>, a mark that is not one as none.</summary>
    public static RatedFeedback Decode(string? value)
    {
        var (arm, interview) = value?.Split('|') is [var first, var mark] ? (first, mark) : (value, null);
        return new RatedFeedback(
            FeedbackArm.IsWellFormed(arm) ? arm! : FeedbackArm.Unknown,
            interview is { Length: 8 } && interview.All(char.IsAsciiHexDigitLower) ? interview : null);
    }
}

/// <summary>When a rating is taken.</summary>
public static class FeedbackRatingWindow
{
    /// <summary>
    /// Feedback can be rated this long after it was posted. Who voted is remembered as long, so a second click in the
    /// window replaces a vote, and no click after it can add one.
    /// </summary>
    public static readonly TimeSpan Length = TimeSpan.FromDays(30);

    public static bool IsOpen(DateTimeOffset postedAt, DateTimeOffset now) => now - postedAt <= Length;
}

/// <summary>One person's 👍 or 👎 on one posted feedback.</summary>
/// <param name="RaterId">Who clicked: one vote per person per feedback, and a later click replaces theirs.</param>
/// <param name="FeedbackId">The platform's id of the feedback message.</param>
public sealed record FeedbackRating(string RaterId, string FeedbackId, string Arm, bool Helpful);

/// <summary>How one arm's feedback was rated.</summary>
public sealed record ArmRatings(string Arm, long Helpful, long NotHelpful)
{
    public long Total => Helpful + NotHelpful;
}

/// <summary>
/// The ratings people give feedback, counted per arm so prompt versions can be compared with real users. Counts are
/// kept per arm; who voted on what is remembered as a digest for the <see cref="FeedbackRatingWindow"/>, so a
/// changed vote moves rather than adds.
/// </summary>
public interface IFeedbackRatings
{
    /// <returns>False when the same person already gave this feedback the same rating.</returns>
    Task<bool> RecordAsync(FeedbackRating rating, CancellationToken cancellationToken);

    Task<IReadOnlyList<ArmRatings>> SummaryAsync(CancellationToken cancellationToken);
}
