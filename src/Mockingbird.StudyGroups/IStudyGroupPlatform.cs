using Mockingbird.Chat;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups.Rounds;

namespace Mockingbird.StudyGroups;

/// <summary>Where a posted round lives on its platform: the post with the Answer button, and its discussion thread.</summary>
public sealed record PostedRound(string PostId, string Thread);

/// <summary>The round's post as the platform shows it: the question, the deadline and who has answered so far.</summary>
/// <param name="Answerers">Members who have answered, in order of first answer; never what they wrote.</param>
/// <param name="NotRun">
/// For a round that ended without ever being recorded as posted: the line saying the day's question was not run, shown
/// on a closed post in place of the deadline and the tally.
/// </param>
public sealed record RoundPost(DailyRound Round, string Title, string Question, IReadOnlyList<string> Answerers, bool Closed, string? NotRun = null);

/// <summary>The channel cannot be posted in for good: deleted, archived, or the bot was removed.</summary>
public sealed class StudyChannelGoneException : Exception
{
    public StudyChannelGoneException()
    {
    }

    public StudyChannelGoneException(string message)
        : base(message)
    {
    }

    public StudyChannelGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The bot may not post in the channel for now: it lacks a permission there (moderators locked the channel, say) or the
/// channel takes no posts at the moment. Unlike a channel that is gone, its schedule stays, to post again once allowed.
/// </summary>
public sealed class StudyPostRefusedException : Exception
{
    public StudyPostRefusedException()
    {
    }

    public StudyPostRefusedException(string message)
        : base(message)
    {
    }

    public StudyPostRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// What a chat platform does for study groups: post a round with its Answer button and open its thread, keep the
/// post's tally current, and post the reveal. Every post is idempotent under its key, so a replica that takes over a
/// step another one died in does not post twice.
/// </summary>
public interface IStudyGroupPlatform
{
    /// <summary>The platform's name, as in <see cref="Schedules.StudyChannel.Platform"/>; a host serves its own channels.</summary>
    string Name { get; }

    /// <summary>Posts the question with its Answer button and opens its thread; a repeat for the same round returns the first post.</summary>
    /// <exception cref="StudyChannelGoneException">The channel is gone or the bot may no longer post there.</exception>
    /// <exception cref="StudyPostRefusedException">The bot may not post there for now.</exception>
    Task<PostedRound> PostRoundAsync(RoundPost post, CancellationToken cancellationToken);

    /// <summary>Edits the post to show who has answered, or that the round has closed.</summary>
    Task UpdateRoundAsync(RoundPost post, PostedRound posted, CancellationToken cancellationToken);

    /// <summary>
    /// Shows closed, with its <see cref="RoundPost.NotRun"/> line, any post made for a round that ended without being
    /// recorded as posted: its poster may have got it into the channel and then died, or failed to record it, before
    /// the round was saved as open. The post is known by the round's key, or looked for in the channel when its poster
    /// did not record even that. Nothing is ever posted, and the edit is the same however often it is made.
    /// </summary>
    /// <returns>Whether a post of the round was found and shown closed; false when the channel shows none (or is gone).</returns>
    Task<bool> CloseUnrecordedRoundAsync(RoundPost post, CancellationToken cancellationToken);

    /// <summary>Posts in the round's thread; a repeat of the same <paramref name="deliveryKey"/> does not post twice.</summary>
    /// <exception cref="StudyChannelGoneException">The channel is gone or the bot may no longer post there.</exception>
    /// <exception cref="StudyPostRefusedException">The bot may not post there for now.</exception>
    Task PostInThreadAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Posts at the top of a channel (an admins' channel, say), not in a thread; a repeat of the same
    /// <paramref name="deliveryKey"/> does not post twice. A Discord channel takes posts as a thread does.
    /// </summary>
    /// <exception cref="StudyChannelGoneException">The channel is gone or the bot may no longer post there.</exception>
    /// <exception cref="StudyPostRefusedException">The bot may not post there for now.</exception>
    Task PostInChannelAsync(string channelId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken) =>
        PostInThreadAsync(channelId, actions, deliveryKey, cancellationToken);

    /// <summary>Posts to the member alone (a direct message); a repeat of the same <paramref name="deliveryKey"/> does not post twice.</summary>
    Task PostPrivatelyAsync(string memberId, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>The platform's look, for the texts the study group writes itself.</summary>
    ChatMarkup Markup { get; }

    /// <summary>How to name a member in the reveal and on boards, notifying nobody where the platform allows it.</summary>
    string NameOf(string memberId);

    /// <summary>A reference to a channel that people can click.</summary>
    string ChannelLink(string channelId);

    /// <summary>An instant as each reader sees it in their own time zone where the platform can show it so.</summary>
    string TimeOf(DateTimeOffset at);
}
