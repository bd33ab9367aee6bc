using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups;

/// <summary>What pressing a round's Answer button comes to: a form to fill in, or why not.</summary>
/// <param name="Draft">The member's current answer, so revising starts from it; <c>null</c> on a first answer.</param>
/// <param name="Refusal">Why no form opens (the round closed); <c>null</c> when it does.</param>
public sealed record DailyFormOpening(string? Question, string? Draft, string? Refusal);

/// <summary>
/// A study group's daily question, whichever platform it runs on, from post to reveal (admins set it per channel
/// with <see cref="DailyCommands"/>): each slot is posted once, with an Answer button; answers stay private and may
/// be revised until the deadline; at the deadline each is judged once through the durable judging queue; then the
/// thread gets the reveal and the day's board.
/// </summary>
public sealed partial class DailyRounds(
    IStudyGroupStore store,
    IStudyGroupPlatform platform,
    QuestionBank bank,
    IOptions<StudyGroupOptions> options,
    TimeProvider time,
    ILogger<DailyRounds> logger)
{
    /// <summary>Answers are refused above the length interviews take, and handed back.</summary>
    public static readonly int MaxAnswerCharacters = new InterviewRules().MaxAnswerCharacters;

    private readonly StudyGroupOptions _options = options.Value;

    private readonly DailyQuestionPool _pool = new(store, bank);

    /// <summary>
    /// Rounds whose step (posting, revealing) this process is running: a second start here (the scheduler's tick
    /// while the judging worker reveals) leaves it to the one under way instead of running it beside it.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _stepsRunning = new(StringComparer.Ordinal);

    /// <summary>
    /// The last round each channel had no fitting question for, logged once: the scheduler asks again every tick
    /// until the slot passes.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _lastUnfitRound = new(StringComparer.Ordinal);

    public IStudyGroupPlatform Platform => platform;

    public StudyGroupOptions Options => _options;

    /// <summary>The Answer button: a form while the round is open (holding the member's answer so far), else why not.</summary>
    public async Task<DailyFormOpening> OpenFormAsync(string roundId, string memberId, CancellationToken cancellationToken)
    {
        var round = await store.FindRoundAsync(roundId, cancellationToken);
        if (round is null || !(round.IsOpenAt(time.GetUtcNow()) || IsStillOpening(round)))
        {
            return new DailyFormOpening(null, null, Closed(round));
        }

        var draft = await store.FindAnswerAsync(roundId, memberId, cancellationToken);
        return new DailyFormOpening((await _pool.FindAsync(round, cancellationToken))?.Prompt, draft?.Text, null);
    }

    /// <summary>
    /// An answer sent with the form: kept privately (replacing the member's earlier one) while the round is open. An
    /// answer that is not taken comes back in the reply, so nothing typed is lost.
    /// </summary>
    public async Task<string> AnswerAsync(DailyRequest request, string roundId, string text, Func<string, string> quote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(quote);
        var answer = (text ?? string.Empty).Trim();
        if (answer.Length == 0)
        {
            return "An empty answer can't be judged. Nothing was recorded: write your answer and send it again.";
        }

        if (answer.Length > MaxAnswerCharacters)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Your answer is {answer.Length:N0} characters; the limit is {MaxAnswerCharacters:N0}. Nothing was recorded. Shorten it and send it again; here it is:\n{quote(answer)}");
        }

        try
        {
            return await TakeAnswerAsync(request, roundId, answer, quote, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The store (or the platform) failed: whatever was typed goes back to its author, as with an interview's form.
            Log.AnswerNotTaken(logger, roundId, ex.GetType().Name);
            return $"I couldn't save your answer just now (our storage did not answer), so it was not recorded. Here it is; send it again in a minute:\n{quote(answer)}";
        }
    }

    private async Task<string> TakeAnswerAsync(DailyRequest request, string roundId, string answer, Func<string, string> quote, CancellationToken cancellationToken)
    {
        var round = await store.FindRoundAsync(roundId, cancellationToken);
        if (round is null || round.Channel.Platform != platform.Name)
        {
            return $"That daily question is no longer known, so your answer was not recorded. Here it is:\n{quote(answer)}";
        }

        if (!await request.Access.IsMemberAsync(round.Channel, cancellationToken))
        {
            return $"Only members of {platform.ChannelLink(round.Channel)} can answer its daily question; join it to take part. Your answer was not recorded; here it is:\n{quote(answer)}";
        }

        var receipt = await store.SaveAnswerAsync(roundId, request.MemberId, answer, time.GetUtcNow(), cancellationToken);
        if (receipt.Outcome is AnswerOutcome.Closed or AnswerOutcome.Unknown)
        {
            return IsStillOpening(round)
                ? $"This round is still opening, so your answer was not recorded yet. Send it again in a moment; here it is:\n{quote(answer)}"
                : $"{Closed(round)} Your answer was not recorded; here it is, so nothing you typed is lost:\n{quote(answer)}";
        }

        Log.AnswerTaken(logger, roundId, receipt.Outcome == AnswerOutcome.Revised);
        await UpdatePostAsync(round, receipt.Answerers, closed: false, cancellationToken);
        var words = WordCount.Of(answer);
        var verb = receipt.Outcome == AnswerOutcome.Revised ? "revised" : "in";
        return $"Your answer is {verb} ({words} words). It stays private until the reveal {platform.When(round.Deadline)}; press Answer again to revise it.";
    }

    /// <summary>
    /// Posts a round for a slot unless it is posted: claims the slot (one round per slot, whoever comes first) and,
    /// holding the posting lease, posts it. A replica that died mid-post leaves the lease to run out and the next one
    /// posts under the same key, which the platform does not show twice.
    /// </summary>
    public async Task<DailyRound?> PostSlotAsync(DailySchedule schedule, DailySlot slot, string slotId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(slot);
        var roundId = DailyRound.IdOf(schedule.Channel, slotId);
        var round = await store.FindRoundAsync(roundId, cancellationToken);
        if (round is null)
        {
            var question = await ChooseAsync(schedule, slotId, cancellationToken);
            if (question is null)
            {
                if (_lastUnfitRound.GetValueOrDefault(schedule.Channel.Key) != roundId)
                {
                    _lastUnfitRound[schedule.Channel.Key] = roundId;
                    Log.NoQuestionFits(logger, schedule.Channel.Key);
                }

                return null;
            }

            if (slotId == slot.Id)
            {
                await CloseEarlierRoundsAsync(schedule.Channel, slot, cancellationToken);
            }

            var claim = await store.ClaimRoundAsync(
                new DailyRound(roundId, schedule.Channel, slot, DeadlineOf(schedule, slot, slotId), question.Id, RoundState.Posting, schedule.MentionRole),
                cancellationToken);
            round = claim.Round;
        }

        return round.State == RoundState.Posting ? await PostAsync(round, cancellationToken) : round;
    }

    /// <summary>
    /// A channel has one scheduled round open at a time: one still open when the next day's is posted (its schedule
    /// was moved earlier meanwhile) closes now, and its reveal follows.
    /// </summary>
    private async Task CloseEarlierRoundsAsync(StudyChannel channel, DailySlot slot, CancellationToken cancellationToken)
    {
        foreach (var open in (await store.UnfinishedRoundsAsync(cancellationToken))
            .Where(r => r.Channel == channel && r.State == RoundState.Open && r.SlotId == r.Slot.Id && r.Slot.At < slot.At))
        {
            await CloseAsync(open, cancellationToken);
        }
    }

    /// <summary>
    /// A scheduled round closes no later than the channel's next post: on the night clocks go forward a day has 23
    /// hours, and a 24-hour round would still be open when the next one is posted. A round posted on demand keeps its
    /// full length, however close the next post is.
    /// </summary>
    private static DateTimeOffset DeadlineOf(DailySchedule schedule, DailySlot slot, string slotId)
    {
        var deadline = slot.At + schedule.RoundLength;
        return slotId == slot.Id && DailySlots.Next(schedule, slot.At).At is var next && next < deadline ? next : deadline;
    }

    /// <summary>Closes a round past its deadline: its answers go to the judging queue, once across replicas.</summary>
    public async Task CloseAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (!await store.CloseAsync(round.Id, cancellationToken))
        {
            return;
        }

        var answers = await store.AnswersAsync(round.Id, cancellationToken);
        Log.RoundClosed(logger, round.Id, answers.Count);
        await UpdatePostAsync(round, [.. answers.Select(a => a.MemberId)], closed: true, cancellationToken);
        if (answers.Count == 0)
        {
            await RevealAsync(round.Id, cancellationToken);
        }
    }

    /// <summary>
    /// Posts the reveal of a round whose answers are all judged: the strong-answer outline, each member's feedback (in
    /// the thread, or privately for those who chose so) and the day's board. Every post is keyed, so a reveal
    /// taken over from a replica that died part way through posts only what is missing.
    /// </summary>
    public async Task RevealAsync(string roundId, CancellationToken cancellationToken)
    {
        if (await store.FindRoundAsync(roundId, cancellationToken) is not { State: RoundState.Revealing, Thread: { } thread } round)
        {
            return;
        }

        await RunStepAsync(roundId, RoundState.Revealing, async () =>
        {
            var question = await _pool.FindAsync(round, cancellationToken);
            var results = await store.ResultsAsync(roundId, cancellationToken);
            var preferences = await store.PreferencesAsync([.. results.Select(r => r.MemberId)], cancellationToken);

            // Shown closed again: an edit that failed at the deadline would otherwise leave an Answer button live for good.
            await UpdatePostAsync(round, [.. results.Select(r => r.MemberId)], closed: true, cancellationToken);
            var channelGone = false;
            try
            {
                await platform.PostInThreadAsync(thread, RevealActions(round, question, results, preferences), $"daily:{roundId}:reveal", cancellationToken);
            }
            catch (StudyChannelGoneException)
            {
                // Members who asked for their feedback privately can still have it.
                channelGone = true;
            }
            catch (StudyPostRefusedException ex)
            {
                Log.RevealRefused(logger, roundId, round.Channel.Key, ex.Message);
            }

            foreach (var result in results.Where(r => preferences.GetValueOrDefault(r.MemberId)?.PrivateFeedback == true))
            {
                var about = $"the daily question of {platform.ChannelLink(round.Channel)} ({round.Slot.Day.ToString("d MMM", CultureInfo.InvariantCulture)})";
                // Someone who chose private feedback is told privately too when their answer could not be judged.
                IReadOnlyList<InterviewAction> actions = result.Feedback is { } feedback
                    ? [new PostMarkup($"Your feedback on {about}:"), new PostFeedback(0, 1, null, feedback)]
                    : [new PostMarkup($"Your answer to {about} could not be judged after several tries, so it has no score today. It still counts for your streak.")];
                // Keyed by the answer's number, not the member: delivery keys reach logs, member ids must not.
                await platform.PostPrivatelyAsync(result.MemberId, actions, string.Create(CultureInfo.InvariantCulture, $"daily:{roundId}:private:{result.Ordinal}"), cancellationToken);
            }

            if (channelGone)
            {
                await ChannelGoneAsync(round.Channel, cancellationToken);
            }

            await store.SetStateAsync(roundId, RoundState.Done, cancellationToken);
            Log.Revealed(logger, roundId, results.Count);
        }, cancellationToken);
    }

    /// <summary>The channel is gone or the bot was removed: its schedule stops, with a log line, and its rounds end.</summary>
    public async Task ChannelGoneAsync(StudyChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (await store.RemoveScheduleAsync(channel.Key, cancellationToken))
        {
            Log.ScheduleStopped(logger, channel.Key);
        }

        foreach (var round in (await store.UnfinishedRoundsAsync(cancellationToken)).Where(r => r.Channel == channel && r.State is RoundState.Posting or RoundState.Open))
        {
            await store.SetStateAsync(round.Id, RoundState.Done, cancellationToken);
        }
    }

    private async Task<DailyRound?> PostAsync(DailyRound round, CancellationToken cancellationToken)
    {
        DailyRound? after = round;
        await RunStepAsync(round.Id, RoundState.Posting, async () =>
        {
            // A post left half-made (its replica died, or the platform kept failing it) is finished late while its
            // round can still take answers; once the deadline has passed it would take none and could land beside the
            // next day's question, so it is skipped. Checked here, holding the step, so a replica still at it is not
            // cut short and none posts after the deadline.
            var now = time.GetUtcNow();
            if (now >= round.Deadline)
            {
                Log.LatePostSkipped(logger, round.Channel.Key, round.SlotId, now - round.Slot.At);
                await EndUnpostedAsync(round, cancellationToken);
                after = null;
                return;
            }

            try
            {
                var posted = await platform.PostRoundAsync(Post(round, await _pool.FindAsync(round, cancellationToken), [], closed: false), cancellationToken);
                await store.MarkPostedAsync(round.Id, posted.PostId, posted.Thread, cancellationToken);
                Log.Posted(logger, round.Id);
                after = round with { State = RoundState.Open, PostId = posted.PostId, Thread = posted.Thread };
            }
            catch (StudyChannelGoneException)
            {
                await ChannelGoneAsync(round.Channel, cancellationToken);
                after = null;
            }
            catch (StudyPostRefusedException ex)
            {
                // Tried again every tick, a locked channel would be asked hundreds of times a day and the question
                // could land hours late: the day is skipped, and the schedule stays for the next one.
                Log.PostRefused(logger, round.Id, round.Channel.Key, ex.Message);
                await store.SkipUnpostedRoundAsync(round, cancellationToken);
                after = null;
            }
        }, cancellationToken);
        return after;
    }

    /// <summary>
    /// Ends a round whose schedule was turned off before it was ever posted. It holds the round's posting step, so a
    /// replica still posting it is not cut short: that one opens it instead, and it runs to its reveal.
    /// </summary>
    public async Task DropUnpostedAsync(DailyRound round, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(round);
        await RunStepAsync(round.Id, RoundState.Posting, () => EndUnpostedAsync(round, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Ends a round that was never recorded as posted. Its post may be in the channel all the same (the replica that
    /// made it died before recording it, or the store could not take the record), and its Answer button would look
    /// live for good: any such post is shown closed first, saying the question was not run, so a failure leaves the
    /// round as it was for the next tick to end again. The edit is the same however often it is made, and nothing is
    /// posted.
    /// </summary>
    private async Task EndUnpostedAsync(DailyRound round, CancellationToken cancellationToken)
    {
        var notRun = Post(round, await _pool.FindAsync(round, cancellationToken), [], closed: true) with { NotRun = StudyGroupTexts.NotRun };
        if (await platform.CloseUnrecordedRoundAsync(notRun, cancellationToken))
        {
            Log.UnrecordedPostClosed(logger, round.Id);
        }

        await store.SetStateAsync(round.Id, RoundState.Done, cancellationToken);
    }

    /// <summary>
    /// Runs a round's step if no one else is: not this process (see <see cref="_stepsRunning"/>), and not another
    /// replica (the store's lease, for the state the round was read in, so a step another replica just finished is
    /// not done again). The lease is renewed while the step runs, however long the platform makes it wait, so only a
    /// replica that died lets it run out. False when the step was left to someone else.
    /// </summary>
    private async Task<bool> RunStepAsync(string roundId, RoundState step, Func<Task> work, CancellationToken cancellationToken)
    {
        if (!_stepsRunning.TryAdd(roundId, 0))
        {
            return false;
        }

        try
        {
            var owner = Guid.NewGuid().ToString("N");
            var now = time.GetUtcNow();
            if (!await store.TryLeaseAsync(roundId, step, owner, now + _options.StepLease, now, cancellationToken))
            {
                return false;
            }

            using var stepDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = RenewLeaseAsync(roundId, step, owner, stepDone.Token);
            try
            {
                await work();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Let go at once, so the next tick (here or on another replica) tries again instead of waiting it out.
                await stepDone.CancelAsync();
                await renewing;
                var at = time.GetUtcNow();
                await store.TryLeaseAsync(roundId, step, owner, at, at, CancellationToken.None);
                throw;
            }
            finally
            {
                await stepDone.CancelAsync();
                await renewing;
            }

            return true;
        }
        finally
        {
            _stepsRunning.TryRemove(roundId, out _);
        }
    }

    private async Task RenewLeaseAsync(string roundId, RoundState step, string owner, CancellationToken stepDone)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.StepLease / 3, time, stepDone);
                var now = time.GetUtcNow();
                if (!await store.TryLeaseAsync(roundId, step, owner, now + _options.StepLease, now, stepDone))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The step is over.
        }
        catch (Exception ex)
        {
            // The lease runs out on its own, and at worst another replica takes the step over, which its keys allow.
            Log.LeaseNotRenewed(logger, roundId, ex.GetType().Name);
        }
    }

    private async Task<Question?> ChooseAsync(DailySchedule schedule, string slotId, CancellationToken cancellationToken)
    {
        var recent = await store.RecentQuestionsAsync(schedule.Channel.Key, _options.PoolWindow, cancellationToken);
        var records = await store.RecordsAsync(schedule.Channel.Key, cancellationToken);
        var questions = await _pool.QuestionsAsync(schedule.Channel.Key, cancellationToken);
        return DailyQuestionChoice.Choose(questions, schedule.Focus, recent, records, $"{schedule.Channel.Key}:{slotId}", _options.PoolWindow, _options.WeaknessRounds);
    }

    private async Task UpdatePostAsync(DailyRound round, IReadOnlyList<string> answerers, bool closed, CancellationToken cancellationToken)
    {
        if (round is not { PostId: { } postId, Thread: { } thread })
        {
            return;
        }

        try
        {
            await platform.UpdateRoundAsync(Post(round, await _pool.FindAsync(round, cancellationToken), answerers, closed), new PostedRound(postId, thread), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The tally is a courtesy: the answer is saved, and the next answer or the close updates it again.
            Log.TallyNotUpdated(logger, round.Id, ex.GetType().Name);
        }
    }

    private static RoundPost Post(DailyRound round, Question? question, IReadOnlyList<string> answerers, bool closed)
    {
        var title = question is null ? "Daily question" : $"Daily question · {question.Stage.Title()} · {string.Join(", ", question.Topics.Take(2))}";
        return new RoundPost(round, title, question?.Prompt ?? "(this question is no longer in the bank)", answerers, closed);
    }

    private List<InterviewAction> RevealActions(DailyRound round, Question? question, IReadOnlyList<DailyResult> results, IReadOnlyDictionary<string, MemberPreferences> preferences)
    {
        var markup = platform.Markup;
        var actions = new List<InterviewAction>();
        var judges = results.Select(r => r.Feedback?.Judge).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var head = new StringBuilder(markup.Heading($"The reveal · {round.Slot.Day.ToString("dddd d MMMM", CultureInfo.InvariantCulture)}")).Append('\n');
        head.Append(results.Count switch
        {
            0 => "Nobody answered this one. The outline is below; tomorrow's question is another chance.",
            1 => "1 answer, judged",
            _ => string.Create(CultureInfo.InvariantCulture, $"{results.Count} answers, judged"),
        });
        if (judges.Count > 0)
        {
            head.Append(" by ").Append(markup.Inert(string.Join(", ", judges)));
        }

        actions.Add(new PostMarkup(head.ToString()));
        if (question is not null)
        {
            var outline = new StringBuilder(markup.Bold("What a strong answer covers")).Append('\n');
            foreach (var point in question.Rubric)
            {
                outline.Append("• ").Append(markup.Inert(point.Text)).Append('\n');
            }

            actions.Add(new PostMarkup(outline.ToString().TrimEnd()));
        }

        var privateCount = 0;
        foreach (var result in results)
        {
            if (preferences.GetValueOrDefault(result.MemberId)?.PrivateFeedback == true)
            {
                privateCount++;
            }
            else if (result.Feedback is { } feedback)
            {
                actions.Add(new PostFeedback(0, 1, null, feedback, For: platform.NameOf(result.MemberId)));
            }
            else
            {
                actions.Add(new PostMarkup($"{platform.NameOf(result.MemberId)}: this answer could not be judged after several tries, so it has no score today."));
            }
        }

        if (privateCount > 0)
        {
            actions.Add(new PostMarkup(privateCount == 1 ? "1 member gets their feedback privately." : $"{privateCount} members get their feedback privately."));
        }

        var board = results
            .Where(r => r.Score is not null && preferences.GetValueOrDefault(r.MemberId)?.OnBoards != false)
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Ordinal)
            .ToList();
        if (board.Count > 0)
        {
            var text = new StringBuilder(markup.Bold("Today's board")).Append('\n');
            var places = DailyBoards.Places(board, (a, b) => DailyBoards.Shown(a.Score) == DailyBoards.Shown(b.Score));
            for (var i = 0; i < board.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{places[i]}. {platform.NameOf(board[i].MemberId)} · {board[i].Score:0.0}/4\n");
            }

            actions.Add(new PostMarkup(text.ToString().TrimEnd()));
        }

        return actions;
    }

    /// <summary>
    /// The post is visible a moment before its round is marked open (a thread is still being made), and a member who
    /// presses Answer in that moment must not be told the round is over.
    /// </summary>
    private bool IsStillOpening(DailyRound round) => round.State == RoundState.Posting && time.GetUtcNow() < round.Deadline;

    /// <summary>Why a round takes no answer: unknown, never run (never recorded as posted, so no reveal follows), or closed.</summary>
    private string Closed(DailyRound? round) => round switch
    {
        null => "That daily question is no longer known.",
        { PostId: null } => StudyGroupTexts.NotRun,
        _ => $"This round closed {platform.When(round.Deadline)}; the reveal follows in its thread.",
    };

    private static partial class Log
    {
        [LoggerMessage(2, LogLevel.Warning, "Daily question of channel {ChannelKey} stopped")]
        public static partial void ScheduleStopped(ILogger logger, string channelKey);

        [LoggerMessage(13, LogLevel.Warning, "Daily round {RoundId} was not posted and is skipped: channel {ChannelKey} refused the post ({Refusal}). Its question is kept for another day and its schedule stays; give the bot back its permission to post there, or turn the schedule off")]
        public static partial void PostRefused(ILogger logger, string roundId, string channelKey, string refusal);

        [LoggerMessage(15, LogLevel.Warning, "Daily post {SlotId} of channel {ChannelKey} was not made before its deadline passed ({Late} after it was due); skipped")]
        public static partial void LatePostSkipped(ILogger logger, string channelKey, string slotId, TimeSpan late);

        [LoggerMessage(16, LogLevel.Warning, "Daily round {RoundId} ended without being recorded as posted, yet its post had reached the channel; it is shown closed as not run")]
        public static partial void UnrecordedPostClosed(ILogger logger, string roundId);

        [LoggerMessage(14, LogLevel.Warning, "Daily round {RoundId}: its reveal was refused in channel {ChannelKey} ({Refusal}); members who chose private feedback still get theirs")]
        public static partial void RevealRefused(ILogger logger, string roundId, string channelKey, string refusal);

        [LoggerMessage(3, LogLevel.Information, "Daily round {RoundId} posted")]
        public static partial void Posted(ILogger logger, string roundId);

        [LoggerMessage(4, LogLevel.Information, "Daily round {RoundId} took an answer (revised: {Revised})")]
        public static partial void AnswerTaken(ILogger logger, string roundId, bool revised);

        [LoggerMessage(5, LogLevel.Information, "Daily round {RoundId} closed with {Answers} answers to judge")]
        public static partial void RoundClosed(ILogger logger, string roundId, int answers);

        [LoggerMessage(6, LogLevel.Information, "Daily round {RoundId} revealed with {Results} results")]
        public static partial void Revealed(ILogger logger, string roundId, int results);

        [LoggerMessage(7, LogLevel.Warning, "Daily round {RoundId}: the post's tally could not be updated ({ErrorType})")]
        public static partial void TallyNotUpdated(ILogger logger, string roundId, string errorType);

        [LoggerMessage(8, LogLevel.Error, "No question in the bank fits the daily question of channel {ChannelKey}; nothing was posted")]
        public static partial void NoQuestionFits(ILogger logger, string channelKey);

        [LoggerMessage(12, LogLevel.Warning, "Daily round {RoundId}: an answer could not be taken ({ErrorType}); it was handed back")]
        public static partial void AnswerNotTaken(ILogger logger, string roundId, string errorType);

        [LoggerMessage(11, LogLevel.Warning, "Daily round {RoundId}: its step's lease could not be renewed ({ErrorType}); it runs out on its own")]
        public static partial void LeaseNotRenewed(ILogger logger, string roundId, string errorType);
    }
}
