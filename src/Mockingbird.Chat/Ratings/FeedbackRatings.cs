using Mockingbird.Interview.Judging;

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
