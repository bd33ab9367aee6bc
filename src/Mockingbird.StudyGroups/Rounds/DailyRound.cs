using Mockingbird.Interview.Judging;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.StudyGroups.Rounds;

public enum RoundState
{
    /// <summary>Claimed for its slot; the post is being made (and is made again by another replica if this one dies).</summary>
    Posting,

    /// <summary>Posted; answers are taken and may be revised until the deadline.</summary>
    Open,

    /// <summary>Past its deadline: answers are final and each is being judged once.</summary>
    Judging,

    /// <summary>Every answer is judged; the reveal is being posted.</summary>
    Revealing,

    /// <summary>Revealed, or given up on (the channel is gone).</summary>
    Done,
}

/// <summary>One day's question in one channel, from its post to its reveal.</summary>
/// <param name="Id">The channel and the slot: one round per slot, which is how a slot is posted once.</param>
public sealed record DailyRound(
    string Id,
    StudyChannel Channel,
    DailySlot Slot,
    DateTimeOffset Deadline,
    string QuestionId,
    RoundState State,
    string? MentionRole = null,
    string? PostId = null,
    string? Thread = null)
{
    public static string IdOf(StudyChannel channel, string slotId)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return $"{channel.Key}:{slotId}";
    }

    /// <summary>The slot part of <see cref="Id"/>: the day, and for a round posted on demand when it was asked for.</summary>
    public string SlotId => Id[(Channel.Key.Length + 1)..];

    public bool IsOpenAt(DateTimeOffset now) => State == RoundState.Open && now < Deadline;
}

/// <summary>A member's answer in a round, kept privately until the reveal; revising replaces the text.</summary>
/// <param name="Ordinal">The order in which members first answered: the answer's number in its round's judging jobs.</param>
public sealed record DailyAnswer(string MemberId, string Text, DateTimeOffset FirstAt, DateTimeOffset LastAt, int Revisions, int Ordinal);

/// <summary>A member's judged answer; <paramref name="Failure"/> when it could not be judged after every attempt.</summary>
public sealed record DailyResult(string MemberId, int Ordinal, Feedback? Feedback, string? Failure = null)
{
    public double? Score => Feedback?.Total;
}

/// <summary>What one answered round leaves behind for streaks, boards and the choice of later questions.</summary>
public sealed record DailyRecord(
    string RoundId,
    DateOnly Day,
    string MemberId,
    string QuestionId,
    double? Score,
    IReadOnlyList<DimensionScore> Dimensions);

/// <summary>A member's settings for every study group they are in.</summary>
/// <param name="OnBoards">Shown on boards; off keeps their answers judged but leaves them off every board.</param>
/// <param name="PrivateFeedback">Feedback sent to them alone instead of the round's thread.</param>
public sealed record MemberPreferences(bool OnBoards = true, bool PrivateFeedback = false)
{
    public static readonly MemberPreferences Default = new();
}
