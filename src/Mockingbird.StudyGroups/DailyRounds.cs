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
/// A study group's daily question, whichever platform it runs on: admins set it per channel; each slot is posted
/// once, with an Answer button; answers stay private and may be revised until the deadline; at the deadline each
/// is judged once through the durable judging queue; then the thread gets the reveal and the day's board.
/// </summary>
public sealed partial class DailyRounds(
    IStudyGroupStore store,
    IStudyGroupPlatform platform,
    QuestionBank bank,
    IOptions<StudyGroupOptions> options,
    TimeProvider time,
    ILogger<DailyRounds> logger)
{
    /// <summary>Answers are refused above this length, as in interviews, and handed back.</summary>
    public const int MaxAnswerCharacters = 12_000;

    private readonly StudyGroupOptions _options = options.Value;

    private readonly DailyQuestionPool _pool = new(store, bank);

    /// <summary>
    /// Rounds whose step (posting, revealing) this process is running: a second start here (the scheduler's tick
    /// while the judging worker reveals) leaves it to the one under way instead of running it beside it.
    /// </summary>
    private readonly ConcurrentDictionary<string, byte> _stepsRunning = new(StringComparer.Ordinal);

    public IStudyGroupPlatform Platform => platform;

    public StudyGroupOptions Options => _options;

    /// <summary>Runs a daily command; returns the reply for the person alone.</summary>
    public async Task<string> CommandAsync(DailyRequest request, DailyCommand command, string commandName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(command);
        if (!_options.Enabled)
        {
            return "Daily questions are turned off on this bot.";
        }

        return command switch
        {
            DailyCommand.SetUp set => await SetAsync(request, set, cancellationToken),
            DailyCommand.Show => await ShowAsync(request, cancellationToken),
            DailyCommand.Off off => await OffAsync(request, ChannelOf(request, off.Channel), cancellationToken),
            DailyCommand.Now now => await NowAsync(request, ChannelOf(request, now.Channel), cancellationToken),
            DailyCommand.Board board => await BoardAsync(request, ChannelOf(request, board.Channel), board.Period, cancellationToken),
            DailyCommand.Streak streak => await StreakAsync(request, ChannelOf(request, streak.Channel), cancellationToken),
            DailyCommand.Boards boards => await PreferAsync(request.MemberId, p => p with { OnBoards = boards.On }, boards.On
                ? "You are shown on daily boards again."
                : "You are off every daily board now. Your answers are still judged and your feedback still comes.", cancellationToken),
            DailyCommand.FeedbackPrivately feedback => await PreferAsync(request.MemberId, p => p with { PrivateFeedback = feedback.Private }, feedback.Private
                ? "Your daily feedback will come to you privately; the thread shows only that you answered and, unless you turned boards off, your place on the day's board."
                : "Your daily feedback will be posted in the round's thread.", cancellationToken),
            DailyCommand.Suggest suggest => await SuggestAsync(request, suggest.Text, commandName, cancellationToken),
            DailyCommand.Suggestions suggestions => await SuggestionsAsync(request, ChannelOf(request, suggestions.Channel), cancellationToken),
            DailyCommand.Approve approve => await ApproveAsync(request, ChannelOf(request, approve.Channel), approve.Id, commandName, cancellationToken),
            DailyCommand.Reject reject => await RejectAsync(request, ChannelOf(request, reject.Channel), reject.Id, cancellationToken),
            DailyCommand.Invalid invalid => $"{invalid.Problem}\n{DailyCommand.Usage(commandName)}",
            _ => DailyCommand.Usage(commandName),
        };
    }

    /// <summary>The Answer button: a form while the round is open (holding the member's answer so far), else why not.</summary>
    public async Task<DailyFormOpening> OpenFormAsync(string roundId, string memberId, CancellationToken cancellationToken)
    {
        var round = await store.FindRoundAsync(roundId, cancellationToken);
        if (round is null || !round.IsOpenAt(time.GetUtcNow()))
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

        var round = await store.FindRoundAsync(roundId, cancellationToken);
        if (round is null || round.Channel.Platform != platform.Name)
        {
            return $"That daily question is no longer known, so your answer was not recorded. Here it is:\n{quote(answer)}";
        }

        if (!await request.Access.IsMemberAsync(round.Channel, cancellationToken))
        {
            return $"Only members of {ChannelLink(round.Channel)} can answer its daily question; join it to take part. Your answer was not recorded; here it is:\n{quote(answer)}";
        }

        var receipt = await store.SaveAnswerAsync(roundId, request.MemberId, answer, time.GetUtcNow(), cancellationToken);
        if (receipt.Outcome is AnswerOutcome.Closed or AnswerOutcome.Unknown)
        {
            return $"{Closed(round)} Your answer was not recorded; here it is, so nothing you typed is lost:\n{quote(answer)}";
        }

        Log.AnswerTaken(logger, roundId, receipt.Outcome == AnswerOutcome.Revised);
        await UpdatePostAsync(round, receipt.Answerers, closed: false, cancellationToken);
        var words = WordCount.Of(answer);
        var verb = receipt.Outcome == AnswerOutcome.Revised ? "revised" : "in";
        return $"Your answer is {verb} ({words} words). It stays private until the reveal {When(round.Deadline)}; press Answer again to revise it.";
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
                Log.NoQuestionFits(logger, schedule.Channel.Key);
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

            foreach (var result in results.Where(r => preferences.GetValueOrDefault(r.MemberId)?.PrivateFeedback == true))
            {
                var about = $"the daily question of {ChannelLink(round.Channel)} ({round.Slot.Day.ToString("d MMM", CultureInfo.InvariantCulture)})";
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
        }, cancellationToken);
        return after;
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
            for (var i = 0; i < board.Count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {platform.NameOf(board[i].MemberId)} · {board[i].Score:0.0}/4\n");
            }

            actions.Add(new PostMarkup(text.ToString().TrimEnd()));
        }

        return actions;
    }

    private async Task<string> SetAsync(DailyRequest request, DailyCommand.SetUp set, CancellationToken cancellationToken)
    {
        var channel = ChannelOf(request, set.Channel);
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (set.Time is null || !TimeOnly.TryParseExact(set.Time, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            return set.Time is null
                ? "Say when to post, as HH:mm on a 24-hour clock (for example 09:00)."
                : $"`{Plain(set.Time)}` is not a time: use HH:mm on a 24-hour clock, from 00:00 to 23:59 (for example 09:00).";
        }

        if (set.TimeZone is null)
        {
            return "Say the time zone the time is in, as an IANA name such as Europe/Berlin, America/New_York or UTC.";
        }

        if (DailyZones.Find(set.TimeZone) is not { } zone)
        {
            return $"`{Plain(set.TimeZone)}` is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.";
        }

        if (Focus(set) is not { } focus)
        {
            return FocusProblem(set);
        }

        var hours = set.Hours ?? (int)DailySchedule.DefaultRoundLength.TotalHours;
        if (hours < DailySchedule.ShortestRound.TotalHours || hours > DailySchedule.LongestRound.TotalHours)
        {
            return string.Create(CultureInfo.InvariantCulture, $"A round lasts {DailySchedule.ShortestRound.TotalHours:0} to {DailySchedule.LongestRound.TotalHours:0} hours, so that it ends before the next day's question; {hours} is outside that.");
        }

        if (!bank.Questions.Any(q => DailyQuestionChoice.Choose([q], focus, [], [], "check", 1, 1) is not null))
        {
            return $"No question in the bank fits {focus}; pin less.";
        }

        if (await request.Access.CannotPostInAsync(channel, cancellationToken) is { } problem)
        {
            return problem;
        }

        var schedule = new DailySchedule(channel, at, zone.Id, focus, TimeSpan.FromHours(hours), set.Role, request.MemberId, time.GetUtcNow());
        await store.SaveScheduleAsync(schedule, cancellationToken);
        Log.ScheduleSet(logger, channel.Key);
        var stillOpen = (await store.UnfinishedRoundsAsync(cancellationToken)).Any(r => r.Channel == channel && r.State == RoundState.Open);
        var note = stillOpen ? " The round already open keeps its deadline, or closes when the next question is posted if that comes first." : string.Empty;
        return $"Daily question set for {ChannelLink(channel)}: {Describe(schedule)}{note}";
    }

    private async Task<string> ShowAsync(DailyRequest request, CancellationToken cancellationToken)
    {
        var schedules = (await store.SchedulesAsync(cancellationToken))
            .Where(s => s.Channel.Platform == request.Here.Platform && s.Channel.Space == request.Here.Space)
            .OrderBy(s => s.Channel.Channel, StringComparer.Ordinal)
            .ToList();
        return schedules.Count == 0
            ? "No daily question is set here yet. An admin can set one with `daily set`."
            : string.Join("\n", schedules.Select(s => $"• {ChannelLink(s.Channel)}: {Describe(s)}"));
    }

    private async Task<string> OffAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (!await store.RemoveScheduleAsync(channel.Key, cancellationToken))
        {
            return $"{ChannelLink(channel)} has no daily question to stop.";
        }

        Log.ScheduleStopped(logger, channel.Key);
        return $"The daily question of {ChannelLink(channel)} is off. A round already posted still closes and is revealed.";
    }

    private async Task<string> NowAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (await store.FindScheduleAsync(channel.Key, cancellationToken) is not { } schedule)
        {
            return $"{ChannelLink(channel)} has no daily question; set one with `daily set` first.";
        }

        var now = time.GetUtcNow();
        var slot = new DailySlot(now, DailySlots.DayOf(now, schedule.Zone));
        var round = await PostSlotAsync(schedule, slot, $"{slot.Id}-now-{now.ToUnixTimeSeconds()}", cancellationToken);
        return round switch
        {
            { State: RoundState.Open } => $"Posted in {ChannelLink(channel)}; it takes answers until {When(round.Deadline)}.",
            { State: RoundState.Posting } => $"It is being posted in {ChannelLink(channel)} right now.",
            _ => $"The question could not be posted in {ChannelLink(channel)}; the log says why.",
        };
    }

    private async Task<string> BoardAsync(DailyRequest request, StudyChannel channel, BoardPeriod period, CancellationToken cancellationToken)
    {
        // A board says who is in a channel and how they score: only its members (and those who manage it) may read it.
        if (channel != request.Here && !await request.Access.IsMemberAsync(channel, cancellationToken) && !await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return $"Only members of {ChannelLink(channel)} can see its board.";
        }

        var schedule = await store.FindScheduleAsync(channel.Key, cancellationToken);
        var records = await store.RecordsAsync(channel.Key, cancellationToken);
        var members = records.Select(r => r.MemberId).Distinct(StringComparer.Ordinal).ToList();
        var preferences = await store.PreferencesAsync(members, cancellationToken);
        var optedOut = preferences.Where(p => !p.Value.OnBoards).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var today = DailySlots.DayOf(time.GetUtcNow(), schedule?.Zone ?? TimeZoneInfo.Utc);
        var rows = DailyBoards.Build(records, period, today, optedOut);
        if (rows.Count == 0)
        {
            return $"{period.Title()} in {ChannelLink(channel)}: no judged answers yet.";
        }

        var text = new StringBuilder($"{platform.Markup.Bold($"{period.Title()} in")} {ChannelLink(channel)}\n");
        for (var i = 0; i < Math.Min(rows.Count, 20); i++)
        {
            var row = rows[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {platform.NameOf(row.MemberId)} · {row.Total:0.0} points · {row.Rounds} answered");
            text.Append(row.Average is { } average ? string.Create(CultureInfo.InvariantCulture, $" · {average:0.0}/4 on average\n") : "\n");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> StreakAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        var schedule = await store.FindScheduleAsync(channel.Key, cancellationToken);
        var records = await store.RecordsAsync(channel.Key, cancellationToken);
        var zone = schedule?.Zone ?? TimeZoneInfo.Utc;
        var streak = DailyStreaks.Of(records.Where(r => r.MemberId == request.MemberId).Select(r => r.Day), DailySlots.DayOf(time.GetUtcNow(), zone), _options.GraceDaysPerWeek);
        return streak.Best == 0
            ? $"You have not answered a daily question in {ChannelLink(channel)} yet."
            : $"Your streak in {ChannelLink(channel)}: {Days(streak.Current)} (best {Days(streak.Best)}), counted in {zone.Id} days; {Days(_options.GraceDaysPerWeek)} a week may be missed without breaking it.";
    }

    private async Task<string> SuggestAsync(DailyRequest request, string? text, string commandName, CancellationToken cancellationToken)
    {
        var suggestion = (text ?? string.Empty).Trim();
        if (suggestion.Length == 0)
        {
            return $"An empty suggestion can't be kept. Write the question after `{commandName} daily suggest`: in the bank's YAML schema (id, stage, topics, levels, tracks, prompt, rubric, follow_ups), or as free text.";
        }

        if (suggestion.Length > DailySuggestions.MaxCharacters)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Your suggestion is {suggestion.Length:N0} characters; the limit is {DailySuggestions.MaxCharacters:N0}. Nothing was kept: shorten it and suggest it again.");
        }

        var channel = request.Here;
        var reading = DailySuggestions.Read(suggestion);
        if (reading.Problems.Count > 0)
        {
            const int Shown = 10;
            var lines = reading.Problems.Take(Shown).Select(p => platform.Markup.Inert($"line {p.Line}: {p.Message}"));
            var more = reading.Problems.Count > Shown ? $"\n…and {reading.Problems.Count - Shown} more." : string.Empty;
            return $"Your suggestion reads as a question in the bank's YAML schema but does not follow it, so nothing was kept:\n{string.Join("\n", lines)}{more}";
        }

        Stage? freeTextStage = reading.IsFreeText ? (await store.FindScheduleAsync(channel.Key, cancellationToken))?.Focus.Stage ?? Stage.Theory : null;
        var kept = await store.AddSuggestionAsync(channel.Key, request.MemberId, suggestion, freeTextStage, time.GetUtcNow(), DailySuggestions.MaxPending, cancellationToken);
        if (kept is null)
        {
            return $"{ChannelLink(channel)} has {DailySuggestions.MaxPending} suggestions waiting already; nothing was kept. Suggest again once an admin has approved or rejected some.";
        }

        Log.Suggested(logger, channel.Key, kept.Id, kept.IsFreeText);
        return reading.Question is { } question
            ? $"Suggested as {kept.Id}: a {question.Stage.Title().ToLowerInvariant()} question, “{Preview(question.Prompt)}”. An admin can approve it into the pool of {ChannelLink(channel)} with `{commandName} daily approve {kept.Id}`."
            : $"Kept as {kept.Id}, a free-text {freeTextStage!.Value.Title().ToLowerInvariant()} question for {ChannelLink(channel)}: “{Preview(suggestion)}”. It has no rubric yet, and answers are judged against a question's rubric points, so an admin writes it up in the bank's YAML schema before it can be asked.";
    }

    private async Task<string> SuggestionsAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        var pending = await store.PendingSuggestionsAsync(channel.Key, cancellationToken);
        if (pending.Count == 0)
        {
            return $"No suggestion waits in {ChannelLink(channel)}.";
        }

        var text = new StringBuilder($"{platform.Markup.Bold("Suggestions waiting in")} {ChannelLink(channel)}\n");
        foreach (var suggestion in pending)
        {
            var by = suggestion.MemberId is { } member ? platform.NameOf(member) : "someone";
            var what = suggestion.IsFreeText
                ? $"free text, {suggestion.FreeTextStage!.Value.Title().ToLowerInvariant()}, needs a rubric: “{Preview(suggestion.Text)}”"
                : DailySuggestions.PoolQuestion(suggestion) is { } question
                    ? $"{question.Stage.Title().ToLowerInvariant()} · {platform.Markup.Inert(string.Join(", ", question.Topics))}: “{Preview(question.Prompt)}”"
                    : "no longer a valid question for the bank's rules; suggest it again";
            text.Append(CultureInfo.InvariantCulture, $"• {suggestion.Id} by {by} · {what}\n");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> ApproveAsync(DailyRequest request, StudyChannel channel, string? id, string commandName, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (SuggestionId(id) is not { } suggestionId)
        {
            return $"Say which suggestion to approve, by its id: `{commandName} daily approve s3` (`{commandName} daily suggestions` lists them).";
        }

        var pending = (await store.PendingSuggestionsAsync(channel.Key, cancellationToken)).FirstOrDefault(s => s.Id == suggestionId);
        if (pending is null)
        {
            return NoSuchSuggestion(channel, suggestionId);
        }

        if (pending.IsFreeText)
        {
            // A question without its own rubric would get scores that look like judgement and are not: the judges
            // measure an answer against the question's rubric points.
            return $"{suggestionId} is free text with no rubric, so answers to it could not be judged fairly. Write it up in the bank's YAML schema (id, stage, topics, levels, tracks, prompt, 3 to 8 rubric points with evidence phrases, follow_ups), suggest that, approve it, and reject {suggestionId}.";
        }

        if (DailySuggestions.Read(pending.Text) is { Question: null, Problems: var problems })
        {
            return $"{suggestionId} no longer follows the bank's rules ({platform.Markup.Inert(problems.Count > 0 ? $"line {problems[0].Line}: {problems[0].Message}" : "no question")}); reject it and suggest it again.";
        }

        if (await store.ApproveSuggestionAsync(channel.Key, suggestionId, cancellationToken) is not { } approved || DailySuggestions.PoolQuestion(approved) is not { } question)
        {
            return NoSuchSuggestion(channel, suggestionId);
        }

        Log.SuggestionDecided(logger, channel.Key, suggestionId, true);
        var schedule = await store.FindScheduleAsync(channel.Key, cancellationToken);
        var fits = schedule is null || DailyQuestionChoice.Choose([question], schedule.Focus, [], [], "check", 1, 1) is not null;
        return $"{suggestionId} is in the pool of {ChannelLink(channel)}: the daily choice can pick it from the next round on, as it picks the bank's questions."
            + (fits ? string.Empty : $" It does not fit what is pinned there ({schedule!.Focus}), so it waits until the pin changes.");
    }

    private async Task<string> RejectAsync(DailyRequest request, StudyChannel channel, string? id, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (SuggestionId(id) is not { } suggestionId)
        {
            return "Say which suggestion to reject, by its id, such as s3.";
        }

        if (await store.RejectSuggestionAsync(channel.Key, suggestionId, cancellationToken) is null)
        {
            return NoSuchSuggestion(channel, suggestionId);
        }

        Log.SuggestionDecided(logger, channel.Key, suggestionId, false);
        return $"{suggestionId} is rejected and gone from {ChannelLink(channel)}.";
    }

    /// <summary>A suggestion id as typed (<c>s3</c>, <c>S3</c>), or <c>null</c> when it cannot be one.</summary>
    private static string? SuggestionId(string? typed) =>
        typed?.Trim().ToLowerInvariant() is { Length: > 1 and <= 12 } id && id[0] == 's' && id.Skip(1).All(char.IsAsciiDigit) ? id : null;

    private string NoSuchSuggestion(StudyChannel channel, string suggestionId) =>
        $"No suggestion {suggestionId} waits in {ChannelLink(channel)}: it may have been approved or rejected already.";

    /// <summary>The start of a member's text on one line, unable to mention anyone.</summary>
    private string Preview(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return platform.Markup.Inert(line.Length > 120 ? line[..120] + "…" : line);
    }

    private async Task<string> PreferAsync(string memberId, Func<MemberPreferences, MemberPreferences> change, string reply, CancellationToken cancellationToken)
    {
        var current = await store.PreferencesAsync(memberId, cancellationToken);
        await store.SavePreferencesAsync(memberId, change(current), cancellationToken);
        return reply;
    }

    private const string NotAllowed =
        "Only people who can manage this server (Discord: the Manage Server permission) or workspace admins, owners and the channel's creator (Slack) can change daily questions.";

    private static StudyChannel ChannelOf(DailyRequest request, string? channel) =>
        channel is null ? request.Here : request.Here with { Channel = channel };

    private string ChannelLink(StudyChannel channel) => platform.ChannelLink(channel.Channel);

    private string Describe(DailySchedule schedule)
    {
        var next = DailySlots.Next(schedule, time.GetUtcNow());
        var role = schedule.MentionRole is null ? string.Empty : ", mentioning the chosen role";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"every day at {schedule.At:HH\\:mm} {schedule.TimeZone}, open {schedule.RoundLength.TotalHours:0} h, {schedule.Focus}{role}. Next post {When(next.At)}.");
    }

    private string When(DateTimeOffset at) => platform.TimeOf(at);

    private string Closed(DailyRound? round) => round is null
        ? "That daily question is no longer known."
        : $"This round closed {When(round.Deadline)}; the reveal follows in its thread.";

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    /// <summary>A value echoed in a reply, kept to a sane length and unable to break out of inline code.</summary>
    private static string Plain(string value) => value.Replace("`", "'", StringComparison.Ordinal) is var text && text.Length > 40 ? text[..40] + "…" : text;

    private DailyFocus? Focus(DailyCommand.SetUp set)
    {
        Stage? stage = null;
        Level? level = null;
        Track? track = null;
        if (set.Stage is not null)
        {
            if (!Vocabulary.TryParseStage(set.Stage, out var value))
            {
                return null;
            }

            stage = value;
        }

        if (set.Level is not null)
        {
            if (!Vocabulary.TryParseLevel(set.Level, out var value))
            {
                return null;
            }

            level = value;
        }

        if (set.Track is not null)
        {
            if (!Vocabulary.TryParseTrack(set.Track, out var value))
            {
                return null;
            }

            track = value;
        }

        if (set.Topic is not null && !bank.Questions.Any(q => q.Topics.Contains(set.Topic, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }

        return new DailyFocus(stage, level, track, set.Topic);
    }

    private string FocusProblem(DailyCommand.SetUp set) =>
        set.Stage is not null && !Vocabulary.TryParseStage(set.Stage, out _) ? $"`{Plain(set.Stage)}` is not a stage: choose {string.Join(", ", Vocabulary.StageWords)}."
        : set.Level is not null && !Vocabulary.TryParseLevel(set.Level, out _) ? $"`{Plain(set.Level)}` is not a level: choose {string.Join(", ", Vocabulary.LevelWords)}."
        : set.Track is not null && !Vocabulary.TryParseTrack(set.Track, out _) ? $"`{Plain(set.Track)}` is not a track: choose {string.Join(", ", Vocabulary.TrackWords)}."
        : $"`{Plain(set.Topic ?? string.Empty)}` is not a topic of any question; topics include {string.Join(", ", bank.Questions.SelectMany(q => q.Topics).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Take(12))}.";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Daily question set for channel {ChannelKey}")]
        public static partial void ScheduleSet(ILogger logger, string channelKey);

        [LoggerMessage(2, LogLevel.Warning, "Daily question of channel {ChannelKey} stopped")]
        public static partial void ScheduleStopped(ILogger logger, string channelKey);

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

        [LoggerMessage(11, LogLevel.Warning, "Daily round {RoundId}: its step's lease could not be renewed ({ErrorType}); it runs out on its own")]
        public static partial void LeaseNotRenewed(ILogger logger, string roundId, string errorType);

        [LoggerMessage(9, LogLevel.Information, "Suggestion {SuggestionId} kept for channel {ChannelKey} (free text: {FreeText})")]
        public static partial void Suggested(ILogger logger, string channelKey, string suggestionId, bool freeText);

        [LoggerMessage(10, LogLevel.Information, "Suggestion {SuggestionId} of channel {ChannelKey} decided (approved: {Approved})")]
        public static partial void SuggestionDecided(ILogger logger, string channelKey, string suggestionId, bool approved);
    }
}
