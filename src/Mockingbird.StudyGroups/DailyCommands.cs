using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups;

/// <summary>
/// The daily commands, whichever platform they come from: admins set, show, stop and post a channel's daily question
/// and decide on suggested questions; members read boards and streaks, choose how they are shown and suggest
/// questions. Posting a round on demand is the round's own business, left to <see cref="DailyRounds"/>.
/// </summary>
public sealed partial class DailyCommands(
    IStudyGroupStore store,
    IStudyGroupPlatform platform,
    DailyRounds rounds,
    QuestionBank bank,
    IOptions<StudyGroupOptions> options,
    TimeProvider time,
    ILogger<DailyCommands> logger)
{
    private readonly StudyGroupOptions _options = options.Value;

    private readonly DailyQuestionPool _pool = new(store, bank);

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

        // The channel's approved suggestions are chosen like the bank's, so a pin may name their topics too.
        var questions = await _pool.QuestionsAsync(channel.Key, cancellationToken);
        if (Focus(set, questions) is not { } focus)
        {
            return FocusProblem(set, questions);
        }

        var hours = set.Hours ?? (int)DailySchedule.DefaultRoundLength.TotalHours;
        if (hours < DailySchedule.ShortestRound.TotalHours || hours > DailySchedule.LongestRound.TotalHours)
        {
            return string.Create(CultureInfo.InvariantCulture, $"A round lasts {DailySchedule.ShortestRound.TotalHours:0} to {DailySchedule.LongestRound.TotalHours:0} hours, so that it ends before the next day's question; {hours} is outside that.");
        }

        var fitting = questions.Count(q => DailyQuestionChoice.Fits(q, focus));
        if (fitting == 0)
        {
            return $"No question fits {focus}, in the bank or this channel's approved suggestions; pin less.";
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
        if (fitting < _options.PoolWindow)
        {
            note += fitting == 1
                ? " Only 1 question fits that, so it is the question every day (until more that fit are suggested and approved); pin less for variety."
                : $" Only {fitting} questions fit that, so each comes back about every {fitting} days (sooner than the {_options.PoolWindow} rounds questions otherwise wait); pin less for variety.";
        }

        return $"Daily question set for {platform.ChannelLink(channel)}: {await DescribeAsync(schedule, cancellationToken)}{note}";
    }

    private async Task<string> ShowAsync(DailyRequest request, CancellationToken cancellationToken)
    {
        var schedules = (await store.SchedulesAsync(cancellationToken))
            .Where(s => s.Channel.Platform == request.Here.Platform && s.Channel.Space == request.Here.Space)
            .OrderBy(s => s.Channel.Channel, StringComparer.Ordinal)
            .ToList();
        if (schedules.Count == 0)
        {
            return "No daily question is set here yet. An admin can set one with `daily set`.";
        }

        var lines = new List<string>(schedules.Count);
        foreach (var schedule in schedules)
        {
            lines.Add($"• {platform.ChannelLink(schedule.Channel)}: {await DescribeAsync(schedule, cancellationToken)}");
        }

        return string.Join("\n", lines);
    }

    private async Task<string> OffAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (!await store.RemoveScheduleAsync(channel.Key, cancellationToken))
        {
            return $"{platform.ChannelLink(channel)} has no daily question to stop.";
        }

        Log.ScheduleStopped(logger, channel.Key);
        return $"The daily question of {platform.ChannelLink(channel)} is off. A round already posted still closes and is revealed.";
    }

    private async Task<string> NowAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        if (!await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return NotAllowed;
        }

        if (await store.FindScheduleAsync(channel.Key, cancellationToken) is not { } schedule)
        {
            return $"{platform.ChannelLink(channel)} has no daily question; set one with `daily set` first.";
        }

        var now = time.GetUtcNow();
        var slot = new DailySlot(now, DailySlots.DayOf(now, schedule.Zone));
        var round = await rounds.PostSlotAsync(schedule, slot, $"{slot.Id}-now-{now.ToUnixTimeSeconds()}", cancellationToken);
        return round switch
        {
            { State: RoundState.Open } => $"Posted in {platform.ChannelLink(channel)}; it takes answers until {platform.When(round.Deadline)}.",
            { State: RoundState.Posting } => $"It is being posted in {platform.ChannelLink(channel)} right now.",
            _ => $"The question could not be posted in {platform.ChannelLink(channel)}; the log says why.",
        };
    }

    private async Task<string> BoardAsync(DailyRequest request, StudyChannel channel, BoardPeriod period, CancellationToken cancellationToken)
    {
        // A board says who is in a channel and how they score: only its members (and those who manage it) may read it.
        if (channel != request.Here && !await request.Access.IsMemberAsync(channel, cancellationToken) && !await request.Access.MayManageAsync(channel, cancellationToken))
        {
            return $"Only members of {platform.ChannelLink(channel)} can see its board.";
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
            return $"{period.Title()} in {platform.ChannelLink(channel)}: no judged answers yet.";
        }

        var text = new StringBuilder($"{platform.Markup.Bold($"{period.Title()} in")} {platform.ChannelLink(channel)}\n");
        var places = DailyBoards.Places(rows, DailyBoards.ReadTheSame);
        for (var i = 0; i < Math.Min(rows.Count, 20); i++)
        {
            var row = rows[i];
            text.Append(CultureInfo.InvariantCulture, $"{places[i]}. {platform.NameOf(row.MemberId)} · {row.Total:0.0} points · {row.Rounds} answered");
            text.Append(row.Average is { } average ? string.Create(CultureInfo.InvariantCulture, $" · {average:0.0}/4 on average\n") : "\n");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<string> StreakAsync(DailyRequest request, StudyChannel channel, CancellationToken cancellationToken)
    {
        var schedule = await store.FindScheduleAsync(channel.Key, cancellationToken);
        var records = await store.RecordsAsync(channel.Key, cancellationToken);
        var zone = schedule?.Zone ?? TimeZoneInfo.Utc;

        // A record is written when an answer is judged, at its round's deadline: until then yesterday's answer, made
        // in a round still open this morning, would read as a missed day.
        var answered = records.Where(r => r.MemberId == request.MemberId).Select(r => r.Day).ToList();
        foreach (var round in (await store.UnfinishedRoundsAsync(cancellationToken)).Where(r => r.Channel == channel))
        {
            if (await store.FindAnswerAsync(round.Id, request.MemberId, cancellationToken) is not null)
            {
                answered.Add(round.Slot.Day);
            }
        }

        var streak = DailyStreaks.Of(answered.Distinct(), DailySlots.DayOf(time.GetUtcNow(), zone), _options.GraceDaysPerWeek);
        return streak.Best == 0
            ? $"You have not answered a daily question in {platform.ChannelLink(channel)} yet."
            : $"Your streak in {platform.ChannelLink(channel)}: {Days(streak.Current)} (best {Days(streak.Best)}), counted in {zone.Id} days; {Days(_options.GraceDaysPerWeek)} a week may be missed without breaking it.";
    }

    private async Task<string> SuggestAsync(DailyRequest request, string? text, string commandName, CancellationToken cancellationToken)
    {
        var suggestion = (text ?? string.Empty).Trim();
        if (suggestion.Length == 0)
        {
            return $"An empty suggestion can't be kept. Write the question after `{commandName} daily suggest`: in the bank's YAML schema (id, stage, topics, levels, tracks, prompt, rubric, follow_ups, and a reference_answer if you can), or as free text.";
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
            return $"{platform.ChannelLink(channel)} has {DailySuggestions.MaxPending} suggestions waiting already; nothing was kept. Suggest again once an admin has approved or rejected some.";
        }

        Log.Suggested(logger, channel.Key, kept.Id, kept.IsFreeText);
        return reading.Question is { } question
            ? $"Suggested as {kept.Id}: a {question.Stage.Title().ToLowerInvariant()} question, “{Preview(question.Prompt)}”. An admin can approve it into the pool of {platform.ChannelLink(channel)} with `{commandName} daily approve {kept.Id}`."
            : $"Kept as {kept.Id}, a free-text {freeTextStage!.Value.Title().ToLowerInvariant()} question for {platform.ChannelLink(channel)}: “{Preview(suggestion)}”. It has no rubric yet, and answers are judged against a question's rubric points, so an admin writes it up in the bank's YAML schema before it can be asked.";
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
            return $"No suggestion waits in {platform.ChannelLink(channel)}.";
        }

        var text = new StringBuilder($"{platform.Markup.Bold("Suggestions waiting in")} {platform.ChannelLink(channel)}\n");
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
        return $"{suggestionId} is in the pool of {platform.ChannelLink(channel)}: the daily choice can pick it from the next round on, as it picks the bank's questions."
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
        return $"{suggestionId} is rejected and gone from {platform.ChannelLink(channel)}.";
    }

    /// <summary>A suggestion id as typed (<c>s3</c>, <c>S3</c>), or <c>null</c> when it cannot be one.</summary>
    private static string? SuggestionId(string? typed) =>
        typed?.Trim().ToLowerInvariant() is { Length: > 1 and <= 12 } id && id[0] == 's' && id.Skip(1).All(char.IsAsciiDigit) ? id : null;

    private string NoSuchSuggestion(StudyChannel channel, string suggestionId) =>
        $"No suggestion {suggestionId} waits in {platform.ChannelLink(channel)}: it may have been approved or rejected already.";

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


    private async Task<string> DescribeAsync(DailySchedule schedule, CancellationToken cancellationToken)
    {
        var next = DailySlots.Next(schedule, time.GetUtcNow());

        // A channel gets one question a day: a time moved later on a day whose question is out posts again tomorrow.
        if (await store.FindRoundAsync(DailyRound.IdOf(schedule.Channel, next.Id), cancellationToken) is not null)
        {
            next = DailySlots.Next(schedule, next.At);
        }

        var role = schedule.MentionRole is null ? string.Empty : ", mentioning the chosen role";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"every day at {schedule.At:HH\\:mm} {schedule.TimeZone}, open {schedule.RoundLength.TotalHours:0} h, {schedule.Focus}{role}. Next post {platform.When(next.At)}.");
    }

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    /// <summary>A value echoed in a reply, kept to a sane length and unable to break out of inline code.</summary>
    private static string Plain(string value) => value.Replace("`", "'", StringComparison.Ordinal) is var text && text.Length > 40 ? text[..40] + "…" : text;

    private static DailyFocus? Focus(DailyCommand.SetUp set, IReadOnlyList<Question> questions)
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

        if (set.Topic is not null && !questions.Any(q => q.Topics.Contains(set.Topic, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }

        return new DailyFocus(stage, level, track, set.Topic);
    }

    private static string FocusProblem(DailyCommand.SetUp set, IReadOnlyList<Question> questions) =>
        set.Stage is not null && !Vocabulary.TryParseStage(set.Stage, out _) ? $"`{Plain(set.Stage)}` is not a stage: choose {string.Join(", ", Vocabulary.StageWords)}."
        : set.Level is not null && !Vocabulary.TryParseLevel(set.Level, out _) ? $"`{Plain(set.Level)}` is not a level: choose {string.Join(", ", Vocabulary.LevelWords)}."
        : set.Track is not null && !Vocabulary.TryParseTrack(set.Track, out _) ? $"`{Plain(set.Track)}` is not a track: choose {string.Join(", ", Vocabulary.TrackWords)}."
        : $"`{Plain(set.Topic ?? string.Empty)}` is not a topic of any question; topics include {string.Join(", ", questions.SelectMany(q => q.Topics).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Take(12))}.";

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Daily question set for channel {ChannelKey}")]
        public static partial void ScheduleSet(ILogger logger, string channelKey);

        [LoggerMessage(2, LogLevel.Warning, "Daily question of channel {ChannelKey} stopped")]
        public static partial void ScheduleStopped(ILogger logger, string channelKey);

        [LoggerMessage(9, LogLevel.Information, "Suggestion {SuggestionId} kept for channel {ChannelKey} (free text: {FreeText})")]
        public static partial void Suggested(ILogger logger, string channelKey, string suggestionId, bool freeText);

        [LoggerMessage(10, LogLevel.Information, "Suggestion {SuggestionId} of channel {ChannelKey} decided (approved: {Approved})")]
        public static partial void SuggestionDecided(ILogger logger, string channelKey, string suggestionId, bool approved);
    }
}
