using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups;

public enum AnswerOutcome
{
    /// <summary>The member's first answer in the round.</summary>
    Taken,

    /// <summary>Replaced the member's earlier answer.</summary>
    Revised,

    /// <summary>The round is past its deadline (or not open yet): nothing was recorded.</summary>
    Closed,

    /// <summary>No such round.</summary>
    Unknown,
}

/// <summary>What saving an answer came to, and who has answered so far (for the post's tally), in order of first answer.</summary>
public sealed record AnswerReceipt(AnswerOutcome Outcome, IReadOnlyList<string> Answerers);

/// <summary>
/// Where study groups keep everything: schedules, rounds, answers, results and the records that streaks and boards
/// are computed from. Every step that must happen once across replicas (claiming a slot, closing a round, recording
/// a result) is one atomic operation here.
/// </summary>
public interface IStudyGroupStore
{
    Task SaveScheduleAsync(DailySchedule schedule, CancellationToken cancellationToken);

    Task<DailySchedule?> FindScheduleAsync(string channelKey, CancellationToken cancellationToken);

    /// <summary>Every channel's schedule, for the scheduler; callers filter by platform or space.</summary>
    Task<IReadOnlyList<DailySchedule>> SchedulesAsync(CancellationToken cancellationToken);

    /// <summary>True when there was a schedule to remove. Rounds already posted run to their reveal.</summary>
    Task<bool> RemoveScheduleAsync(string channelKey, CancellationToken cancellationToken);

    /// <summary>
    /// Creates <paramref name="round"/> (in <see cref="RoundState.Posting"/>) unless a round with its id exists, and
    /// remembers its question among the channel's recent ones; returns the stored round and whether this call made it.
    /// </summary>
    Task<(DailyRound Round, bool Created)> ClaimRoundAsync(DailyRound round, CancellationToken cancellationToken);

    Task<DailyRound?> FindRoundAsync(string roundId, CancellationToken cancellationToken);

    /// <summary>Rounds not yet <see cref="RoundState.Done"/>, for the scheduler to move along.</summary>
    Task<IReadOnlyList<DailyRound>> UnfinishedRoundsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Leases the round's current step (posting it, revealing it) to <paramref name="owner"/> until
    /// <paramref name="until"/>; true when the caller now holds it (it was free, had run out at <paramref name="now"/>,
    /// or was the caller's already). Only one replica works on a step at a time; a dead one's lease runs out.
    /// </summary>
    /// <param name="readIn">The state the caller read the round in: a round that has moved on since (another replica
    /// finished the step) is not leased, so the step is not done again.</param>
    Task<bool> TryLeaseAsync(string roundId, RoundState readIn, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Posting to Open, with where the post and its thread are; the lease is let go.</summary>
    Task MarkPostedAsync(string roundId, string postId, string thread, CancellationToken cancellationToken);

    /// <summary>Moves the round on (Revealing to Done, or any state to Done when its channel is gone); the lease is let go.</summary>
    Task SetStateAsync(string roundId, RoundState state, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a round the channel refused to show (<see cref="RoundState.Done"/>, the lease let go) and gives its question
    /// back to the channel's rotation: nobody saw it, so it should not count as asked.
    /// </summary>
    Task SkipUnpostedRoundAsync(DailyRound round, CancellationToken cancellationToken);

    /// <summary>The channel's questions, newest first, at most <paramref name="count"/>.</summary>
    Task<IReadOnlyList<string>> RecentQuestionsAsync(string channelKey, int count, CancellationToken cancellationToken);

    /// <summary>Records or revises a member's answer if the round is open at <paramref name="now"/>.</summary>
    Task<AnswerReceipt> SaveAnswerAsync(string roundId, string memberId, string text, DateTimeOffset now, CancellationToken cancellationToken);

    Task<DailyAnswer?> FindAnswerAsync(string roundId, string memberId, CancellationToken cancellationToken);

    /// <summary>The round's answers in order of first answer.</summary>
    Task<IReadOnlyList<DailyAnswer>> AnswersAsync(string roundId, CancellationToken cancellationToken);

    /// <summary>
    /// Open to Judging, with one durable judging job per answer, in one step; a round with no answers goes straight
    /// to Revealing. False when the round was not open (another replica closed it): nothing is enqueued twice.
    /// </summary>
    Task<bool> CloseAsync(string roundId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a member's result and its record unless the member has one already (a repeated job judges nothing
    /// twice) or the judged answer is no longer in the round (its member was forgotten while it was judged); true when
    /// this made every answer of the round judged and moved the round to Revealing.
    /// </summary>
    Task<bool> SaveResultAsync(string roundId, DailyResult result, DailyRecord? record, CancellationToken cancellationToken);

    Task<IReadOnlyList<DailyResult>> ResultsAsync(string roundId, CancellationToken cancellationToken);

    /// <summary>Every record of the channel, within the store's retention.</summary>
    Task<IReadOnlyList<DailyRecord>> RecordsAsync(string channelKey, CancellationToken cancellationToken);

    Task<MemberPreferences> PreferencesAsync(string memberId, CancellationToken cancellationToken);

    /// <summary>Several members' preferences at once (a board's); members with none have the defaults.</summary>
    Task<IReadOnlyDictionary<string, MemberPreferences>> PreferencesAsync(IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken);

    Task SavePreferencesAsync(string memberId, MemberPreferences preferences, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a member's suggestion for the channel under the channel's next short id (<c>s1</c>, <c>s2</c>, …), unless
    /// <paramref name="maxPending"/> suggestions wait there already: <c>null</c> then, and nothing is kept.
    /// </summary>
    Task<DailySuggestion?> AddSuggestionAsync(string channelKey, string memberId, string text, Stage? freeTextStage, DateTimeOffset at, int maxPending, CancellationToken cancellationToken);

    /// <summary>The channel's suggestions waiting for an admin, oldest first.</summary>
    Task<IReadOnlyList<DailySuggestion>> PendingSuggestionsAsync(string channelKey, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a waiting suggestion into the channel's pool, without its author (the question is now the channel's);
    /// returns it as approved, or <c>null</c> when no such suggestion waits (unknown, or approved or rejected
    /// already, by this or another replica).
    /// </summary>
    Task<DailySuggestion?> ApproveSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken);

    /// <summary>Drops a waiting suggestion; returns it, or <c>null</c> when no such suggestion waits.</summary>
    Task<DailySuggestion?> RejectSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken);

    /// <summary>The suggestions approved into the channel's pool, oldest first.</summary>
    Task<IReadOnlyList<DailySuggestion>> PoolAsync(string channelKey, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the member's answers, results, records, preferences and waiting suggestions everywhere (approved ones
    /// are the channel's and keep no author); returns how many items went. In
    /// the same step, a round in <see cref="RoundState.Judging"/> whose remaining answers all have results moves to
    /// <see cref="RoundState.Revealing"/> (the scheduler then reveals it): the forgotten answer's job finds nothing
    /// to judge, so no result would ever move it on.
    /// </summary>
    Task<int> ForgetAsync(string memberId, CancellationToken cancellationToken);
}
