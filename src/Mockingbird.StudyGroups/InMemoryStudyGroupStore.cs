using Microsoft.Extensions.Options;
using Mockingbird.Chat.Stores;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups;

/// <summary>Study groups in memory, for local runs and tests; its judging jobs go to the in-memory judging queue.</summary>
public sealed class InMemoryStudyGroupStore(InMemorySessionStore queue, IOptions<StudyGroupOptions> options, TimeProvider time) : IStudyGroupStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DailySchedule> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoundEntry> _rounds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _questions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DailyRecord>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MemberPreferences> _preferences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastSuggestion = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DailySuggestion>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DailySuggestion>> _pool = new(StringComparer.Ordinal);

    public Task SaveScheduleAsync(DailySchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        lock (_gate)
        {
            _schedules[schedule.Channel.Key] = schedule;
        }

        return Task.CompletedTask;
    }

    public Task<DailySchedule?> FindScheduleAsync(string channelKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_schedules.GetValueOrDefault(channelKey));
        }
    }

    public Task<IReadOnlyList<DailySchedule>> SchedulesAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailySchedule>>([.. _schedules.Values]);
        }
    }

    public Task<bool> RemoveScheduleAsync(string channelKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_schedules.Remove(channelKey));
        }
    }

    public Task<(DailyRound Round, bool Created)> ClaimRoundAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        lock (_gate)
        {
            if (_rounds.TryGetValue(round.Id, out var existing))
            {
                return Task.FromResult((existing.Round, false));
            }

            var created = round with { State = RoundState.Posting };
            _rounds[round.Id] = new RoundEntry(created);
            Bucket(_questions, round.Channel.Key).Insert(0, round.QuestionId);
            return Task.FromResult((created, true));
        }
    }

    public Task<DailyRound?> FindRoundAsync(string roundId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rounds.GetValueOrDefault(roundId)?.Round);
        }
    }

    public Task<IReadOnlyList<DailyRound>> UnfinishedRoundsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailyRound>>([.. _rounds.Values.Select(r => r.Round).Where(r => r.State != RoundState.Done)]);
        }
    }

    public Task<bool> TryLeaseAsync(string roundId, RoundState readIn, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rounds.TryGetValue(roundId, out var entry) || entry.Round.State != readIn || (entry.LeaseOwner is not null && entry.LeaseOwner != owner && entry.LeaseUntil > now))
            {
                return Task.FromResult(false);
            }

            entry.LeaseOwner = owner;
            entry.LeaseUntil = until;
            return Task.FromResult(true);
        }
    }

    public Task MarkPostedAsync(string roundId, string postId, string thread, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_rounds.TryGetValue(roundId, out var entry) && entry.Round.State == RoundState.Posting)
            {
                entry.Round = entry.Round with { State = RoundState.Open, PostId = postId, Thread = thread };
                entry.LeaseOwner = null;
            }
        }

        return Task.CompletedTask;
    }

    public Task SetStateAsync(string roundId, RoundState state, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_rounds.TryGetValue(roundId, out var entry))
            {
                entry.Round = entry.Round with { State = state };
                entry.LeaseOwner = null;
            }
        }

        return Task.CompletedTask;
    }

    public async Task SkipUnpostedRoundAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        await SetStateAsync(round.Id, RoundState.Done, cancellationToken);
        lock (_gate)
        {
            _ = _questions.GetValueOrDefault(round.Channel.Key)?.Remove(round.QuestionId);
        }
    }

    public Task<IReadOnlyList<string>> RecentQuestionsAsync(string channelKey, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _questions.GetValueOrDefault(channelKey, []).Take(count)]);
        }
    }

    public Task<AnswerReceipt> SaveAnswerAsync(string roundId, string memberId, string text, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rounds.TryGetValue(roundId, out var entry))
            {
                return Task.FromResult(new AnswerReceipt(AnswerOutcome.Unknown, []));
            }

            if (!entry.Round.IsOpenAt(now))
            {
                return Task.FromResult(new AnswerReceipt(AnswerOutcome.Closed, Answerers(entry)));
            }

            var outcome = AnswerOutcome.Taken;
            if (entry.Answers.TryGetValue(memberId, out var earlier))
            {
                entry.Answers[memberId] = earlier with { Text = text, LastAt = now, Revisions = earlier.Revisions + 1 };
                outcome = AnswerOutcome.Revised;
            }
            else
            {
                entry.Answers[memberId] = new DailyAnswer(memberId, text, now, now, 0, ++entry.LastOrdinal);
            }

            return Task.FromResult(new AnswerReceipt(outcome, Answerers(entry)));
        }
    }

    public Task<DailyAnswer?> FindAnswerAsync(string roundId, string memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rounds.GetValueOrDefault(roundId)?.Answers.GetValueOrDefault(memberId));
        }
    }

    public Task<IReadOnlyList<DailyAnswer>> AnswersAsync(string roundId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailyAnswer>>(_rounds.TryGetValue(roundId, out var entry) ? [.. entry.Answers.Values.OrderBy(a => a.Ordinal)] : []);
        }
    }

    public Task<bool> CloseAsync(string roundId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_rounds.TryGetValue(roundId, out var entry) || entry.Round.State != RoundState.Open)
            {
                return Task.FromResult(false);
            }

            entry.Round = entry.Round with { State = entry.Answers.Count == 0 ? RoundState.Revealing : RoundState.Judging };
            queue.Enqueue(entry.Answers.Values.OrderBy(a => a.Ordinal).Select(a => DailyAnswerJudging.JobFor(entry.Round, a.Ordinal)));
            return Task.FromResult(true);
        }
    }

    public Task<bool> SaveResultAsync(string roundId, DailyResult result, DailyRecord? record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            // An answer no longer in the round was forgotten, at its member's request, while it was judged.
            if (!_rounds.TryGetValue(roundId, out var entry)
                || entry.Answers.GetValueOrDefault(result.MemberId)?.Ordinal != result.Ordinal
                || !entry.Results.TryAdd(result.MemberId, result))
            {
                return Task.FromResult(false);
            }

            if (record is not null)
            {
                Bucket(_records, entry.Round.Channel.Key).Add(record);
            }

            if (entry.Round.State == RoundState.Judging && entry.Answers.Keys.All(entry.Results.ContainsKey))
            {
                entry.Round = entry.Round with { State = RoundState.Revealing };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task<IReadOnlyList<DailyResult>> ResultsAsync(string roundId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailyResult>>(_rounds.TryGetValue(roundId, out var entry) ? [.. entry.Results.Values.OrderBy(r => r.Ordinal)] : []);
        }
    }

    public Task<IReadOnlyList<DailyRecord>> RecordsAsync(string channelKey, CancellationToken cancellationToken)
    {
        var cutoff = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime - options.Value.RecordRetention);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailyRecord>>([.. _records.GetValueOrDefault(channelKey, []).Where(r => r.Day >= cutoff)]);
        }
    }

    public Task<MemberPreferences> PreferencesAsync(string memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_preferences.GetValueOrDefault(memberId) ?? MemberPreferences.Default);
        }
    }

    public Task<IReadOnlyDictionary<string, MemberPreferences>> PreferencesAsync(IReadOnlyCollection<string> memberIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(memberIds);
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<string, MemberPreferences>>(
                memberIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, id => _preferences.GetValueOrDefault(id) ?? MemberPreferences.Default, StringComparer.Ordinal));
        }
    }

    public Task SavePreferencesAsync(string memberId, MemberPreferences preferences, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _preferences[memberId] = preferences;
        }

        return Task.CompletedTask;
    }

    public Task<DailySuggestion?> AddSuggestionAsync(string channelKey, string memberId, string text, Stage? freeTextStage, DateTimeOffset at, int maxPending, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var pending = Bucket(_pending, channelKey);
            if (pending.Count >= maxPending)
            {
                return Task.FromResult<DailySuggestion?>(null);
            }

            var number = _lastSuggestion[channelKey] = _lastSuggestion.GetValueOrDefault(channelKey) + 1;
            var suggestion = new DailySuggestion($"s{number}", memberId, text, freeTextStage, at);
            pending.Add(suggestion);
            return Task.FromResult<DailySuggestion?>(suggestion);
        }
    }

    public Task<IReadOnlyList<DailySuggestion>> PendingSuggestionsAsync(string channelKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailySuggestion>>([.. _pending.GetValueOrDefault(channelKey, [])]);
        }
    }

    public Task<DailySuggestion?> ApproveSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (TakePending(channelKey, suggestionId) is not { } taken)
            {
                return Task.FromResult<DailySuggestion?>(null);
            }

            var approved = taken with { MemberId = null };
            Bucket(_pool, channelKey).Add(approved);
            return Task.FromResult<DailySuggestion?>(approved);
        }
    }

    public Task<DailySuggestion?> RejectSuggestionAsync(string channelKey, string suggestionId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(TakePending(channelKey, suggestionId));
        }
    }

    public Task<IReadOnlyList<DailySuggestion>> PoolAsync(string channelKey, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DailySuggestion>>([.. _pool.GetValueOrDefault(channelKey, [])]);
        }
    }

    public Task<int> ForgetAsync(string memberId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var removed = _preferences.Remove(memberId) ? 1 : 0;
            foreach (var pending in _pending.Values)
            {
                removed += pending.RemoveAll(s => s.MemberId == memberId);
            }

            foreach (var entry in _rounds.Values)
            {
                removed += entry.Answers.Remove(memberId) ? 1 : 0;
                removed += entry.Results.Remove(memberId) ? 1 : 0;

                // The member's answer may have been the last one still being judged; its job now judges nothing,
                // so the round is ready for its reveal here or it would wait in Judging forever.
                if (entry.Round.State == RoundState.Judging && entry.Answers.Keys.All(entry.Results.ContainsKey))
                {
                    entry.Round = entry.Round with { State = RoundState.Revealing };
                }
            }

            foreach (var records in _records.Values)
            {
                removed += records.RemoveAll(r => r.MemberId == memberId);
            }

            return Task.FromResult(removed);
        }
    }

    private DailySuggestion? TakePending(string channelKey, string suggestionId)
    {
        var pending = _pending.GetValueOrDefault(channelKey);
        var index = pending?.FindIndex(s => s.Id == suggestionId) ?? -1;
        if (index < 0)
        {
            return null;
        }

        var taken = pending![index];
        pending.RemoveAt(index);
        return taken;
    }

    private static List<string> Answerers(RoundEntry entry) => [.. entry.Answers.Values.OrderBy(a => a.Ordinal).Select(a => a.MemberId)];

    private static List<T> Bucket<T>(Dictionary<string, List<T>> map, string key)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        return list;
    }

    private sealed class RoundEntry(DailyRound round)
    {
        public DailyRound Round { get; set; } = round;

        public Dictionary<string, DailyAnswer> Answers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DailyResult> Results { get; } = new(StringComparer.Ordinal);

        public int LastOrdinal { get; set; }

        public string? LeaseOwner { get; set; }

        public DateTimeOffset LeaseUntil { get; set; }
    }
}
