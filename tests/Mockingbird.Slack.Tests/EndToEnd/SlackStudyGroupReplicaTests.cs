using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Judging;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Tests.SocketMode;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// Study groups on Slack as they run in production: more than one bot against one real redis-server under one key
/// prefix, all of them on the same fake Slack (Web API and Socket Mode). The replicas' study-group clock is one fake
/// clock the test moves and their schedulers are ticked by hand, together; the rest runs on real time. A judge that
/// counts its calls wraps each host's own, so "judged once" is counted, not inferred.
/// </summary>
public sealed class SlackStudyGroupReplicaTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-daily-replicas";
    private const string AppToken = "xapp-daily-replicas";
    private const string Study = "C0STUDYRACE";
    private const string Admin = "U0ADMIN";
    private const string Ada = "U0ADA";
    private const string Bob = "U0BOB";
    private const string Cy = "U0CY";
    private const string Zone = "Europe/Berlin";

    private const string LongAnswer =
        "I would clarify requirements and scope first, then design the data pipeline and labels, pick a two-stage model with retrieval and ranking, " +
        "serve it behind a cache and a feature store, and monitor drift, latency and cost with an offline evaluation and an A/B test.";

    private const string ShortAnswer = "Start from the metric, build a baseline, evaluate offline, then A/B test and monitor drift and cost.";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<WebApplication> _hosts = [];
    private readonly List<BotProcess> _processes = [];
    private readonly ConcurrentDictionary<string, int> _judged = new(StringComparer.Ordinal);
    private readonly string _keyPrefix = "race" + Guid.NewGuid().ToString("N")[..8];
    private FakeTimeProvider _clock = new(TimeProvider.System.GetUtcNow());
    private RedisServer _redis = null!;
    private FakeSlackWebApi _web = null!;
    private FakeSlackSocket _socket = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _web = await FakeSlackWebApi.StartAsync(BotToken, AppToken);
        _socket = await FakeSlackSocket.StartAsync(TimeProvider.System);
        _web.SocketUrl = () => _socket.NextConnectionUrl().ToString();
        _web.AddUser(Admin, admin: true);
        _web.AddUser(Ada);
        _web.AddUser(Bob);
        _web.AddUser(Cy);
        _web.AddChannel(Study, Admin, [Admin, Ada, Bob, Cy]);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await _socket.DisposeAsync();
        await _web.DisposeAsync();
        await _redis.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Two_replicas_racing_for_every_slot_across_a_dst_change_post_each_once_and_judge_and_reveal_each_answer_once()
    {
        // Three mornings at 09:00 in Berlin around the night clocks go back (Sunday 25 October 2026, 03:00 CEST to
        // 02:00 CET): 07:00 UTC on the Saturday, 08:00 UTC after. The fake clock lies before real time, so every
        // message the fake Slack stamps is later than the slot it belongs to, as in production.
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 10, 24, 5, 0, 0, TimeSpan.Zero));
        var first = await StartHostAsync();
        var second = await StartHostAsync();
        var replicas = new[] { first, second };

        await CommandAsync($"daily set <#{Study}|study> 09:00 {Zone} hours=4", Admin, second.Socket);
        await Poll.UntilAsync(() => EphemeralCount(Admin, $"Daily question set for <#{Study}>") == 1, "the admin's daily question to be set");

        (string Day, DateTimeOffset Slot, (string Member, Replica Opens, Replica Sends, string Text)[] Answers)[] days =
        [
            ("2026-10-24", At(2026, 10, 24, 7), [(Ada, first, second, LongAnswer), (Bob, second, first, ShortAnswer)]),
            ("2026-10-25", At(2026, 10, 25, 8), [(Bob, first, first, ShortAnswer), (Cy, second, second, LongAnswer), (Ada, second, first, ShortAnswer), (Ada, first, second, LongAnswer)]),
            ("2026-10-26", At(2026, 10, 26, 8), [(Cy, first, second, ShortAnswer), (Ada, second, first, LongAnswer)]),
        ];

        foreach (var (day, slot, answers) in days)
        {
            // An hour early (on the night the clocks go back, the wall clock already reads 08:01) nothing is posted.
            _clock.SetUtcNow(slot - TimeSpan.FromMinutes(59));
            await RaceAsync(replicas, rounds: 2);
            Assert.Equal(days.TakeWhile(d => d.Day != day).Count(), RoundPosts().Count);

            // The slot comes: both replicas tick at once, again and again; the channel gets one post.
            _clock.SetUtcNow(slot + TimeSpan.FromMinutes(1));
            await RaceAsync(replicas, rounds: 4);
            var post = RoundPosts()[^1];
            Assert.Equal(days.TakeWhile(d => d.Day != day).Count() + 1, RoundPosts().Count);
            var roundId = ButtonValue(post, "mb:daily-answer");
            Assert.EndsWith(":" + day, roundId, StringComparison.Ordinal);
            var round = await Poll.ForAsync(async () => await first.Store.FindRoundAsync(roundId, default), $"round {roundId} in Redis");
            Assert.Equal(slot + TimeSpan.FromHours(4), round.Deadline);

            // Members answer through the modal, opened on one replica and sent through the same or the other.
            foreach (var (member, opens, sends, text) in answers)
            {
                var acknowledged = EphemeralCount(member, "Your answer is");
                await AnswerAsync(post, member, text, opens, sends);
                await Poll.UntilAsync(() => EphemeralCount(member, "Your answer is") > acknowledged, $"{member}'s answer on {day} to be acknowledged");
            }

            var members = answers.Select(a => a.Member).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(members.Count, (await first.Store.AnswersAsync(roundId, default)).Count);

            // The deadline passes: both replicas close, judge and reveal at once; each answer is judged once.
            _clock.SetUtcNow(round.Deadline + TimeSpan.FromMinutes(1));
            await RaceAsync(replicas, rounds: 3);
            await Poll.UntilAsync(() => InThread(post, "Today's board"), $"the reveal of {day}", TimeSpan.FromSeconds(30));
            await Poll.UntilAsync(async () => (await second.Store.FindRoundAsync(roundId, default))?.State == RoundState.Done, $"round {roundId} to be done");
            await RaceAsync(replicas, rounds: 2);

            Assert.Equal(1, CountInThread(post, "The reveal"));
            Assert.Equal(1, CountInThread(post, "What a strong answer covers"));
            Assert.Equal(1, CountInThread(post, "Today's board"));
            foreach (var member in members)
            {
                Assert.Equal(1, CountInThread(post, $"Feedback for <@{member}>"));
                Assert.Equal(1, _judged.GetValueOrDefault(JudgedKey(round.QuestionId, member)));
            }

            Assert.Equal(members.Count, (await first.Store.ResultsAsync(roundId, default)).Count);
        }

        Assert.Equal(days.Length, RoundPosts().Count);
        Assert.Equal(days.Sum(d => d.Answers.Select(a => a.Member).Distinct(StringComparer.Ordinal).Count()), _judged.Values.Sum());
        Assert.Equal(3, RoundPosts().Select(p => ButtonValue(p, "mb:daily-answer")).Distinct(StringComparer.Ordinal).Count());

        // Both replicas carried answers: the envelopes went to sockets of each.
        Assert.Contains(_socket.Deliveries, d => d.Type == "interactive" && first.Socket.Contains(d.Connection));
        Assert.Contains(_socket.Deliveries, d => d.Type == "interactive" && second.Socket.Contains(d.Connection));
        Assert.Empty(_web.Violations);
        Assert.Empty(_socket.Violations);
    }

    [Fact]
    public async Task A_bot_killed_mid_round_loses_no_answer_and_another_host_judges_and_reveals_each_once()
    {
        // The bot runs in its own process on the real clock; the replica that takes over later starts its fake clock from it.
        var now = TimeProvider.System.GetUtcNow();
        var bot = BotProcess.Start("slack", Settings());
        _processes.Add(bot);
        await Poll.UntilAsync(
            () => bot.HasExited ? throw new InvalidOperationException($"The bot exited at start-up:\n{bot.Output}") : _socket.LiveConnections == 2,
            "the bot process to open its two Socket Mode connections",
            TimeSpan.FromSeconds(60));

        // The schedule's own slot lies hours back (before it was set), so only `daily now` posts.
        await CommandAsync($"daily set <#{Study}|study> {(now - TimeSpan.FromHours(6)).ToString("HH:mm", CultureInfo.InvariantCulture)} UTC hours=1", Admin);
        await Poll.UntilAsync(() => EphemeralCount(Admin, $"Daily question set for <#{Study}>") == 1, "the admin's daily question to be set", TimeSpan.FromSeconds(20));
        await CommandAsync("daily now", Admin);
        var post = await Poll.ForAsync(() => RoundPosts().SingleOrDefault(), "the round posted by `daily now`", TimeSpan.FromSeconds(20));
        var roundId = ButtonValue(post, "mb:daily-answer");

        // The round opens for answers only once its post is recorded, a step after the post: the reply says when.
        await Poll.UntilAsync(() => EphemeralCount(Admin, "Posted in") == 1, "the round to open", TimeSpan.FromSeconds(20));
        foreach (var (member, text) in new[] { (Ada, LongAnswer), (Bob, ShortAnswer) })
        {
            await AnswerAsync(post, member, text, opens: null, sends: null);
            await Poll.UntilAsync(() => EphemeralCount(member, "Your answer is in") == 1, $"{member}'s answer to be acknowledged", TimeSpan.FromSeconds(20));
        }

        await bot.KillAsync();

        // Another host on the same Redis, its study-group clock past the deadline.
        _clock = new FakeTimeProvider(now + TimeSpan.FromHours(2));
        var recovery = await StartHostAsync(waitForSockets: false);
        var round = await recovery.Store.FindRoundAsync(roundId, default);
        Assert.Equal(RoundState.Open, round?.State);
        Assert.True(round!.Deadline < _clock.GetUtcNow());
        await recovery.TickAsync();
        await Poll.UntilAsync(() => InThread(post, "Today's board"), "the reveal after the crash", TimeSpan.FromSeconds(30));
        await Poll.UntilAsync(async () => (await recovery.Store.FindRoundAsync(roundId, default))?.State == RoundState.Done, "the round to be done");
        await recovery.TickAsync();
        await recovery.TickAsync();

        Assert.Equal(1, CountInThread(post, "The reveal"));
        Assert.Equal(1, CountInThread(post, "Today's board"));
        foreach (var member in new[] { Ada, Bob })
        {
            Assert.Equal(1, CountInThread(post, $"Feedback for <@{member}>"));
            Assert.Equal(1, _judged.GetValueOrDefault(JudgedKey(round.QuestionId, member)));
        }

        Assert.Equal(2, _judged.Values.Sum());
        Assert.Single(RoundPosts());
        NoStudyGroupTrouble();
        Assert.Empty(_web.Violations);
        Assert.Empty(_socket.Violations);
        Assert.DoesNotContain(BotToken, bot.Output, StringComparison.Ordinal);
    }

    /// <summary>One bot, as the host composes it, and the Socket Mode connections it opened.</summary>
    private sealed record Replica(WebApplication App, IReadOnlyList<int> Socket)
    {
        public IStudyGroupStore Store => App.Services.GetRequiredService<IStudyGroupStore>();

        public Task TickAsync() => App.Services.GetRequiredService<DailyScheduler>().TickAsync(default);
    }

    private async Task<Replica> StartHostAsync(bool waitForSockets = true)
    {
        var opened = _socket.ConnectionsOpened;
        var host = await BotHost.BuildAsync(
            BotPlatform.Slack,
            [.. Settings().Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)), new("Urls", "http://127.0.0.1:0")],
            builder =>
            {
                builder.Logging.AddProvider(_logs);

                // The study group runs on the test's clock, shared by every replica; the scheduler's own loop is off,
                // and the test ticks it.
                builder.Services.RunStudyGroupsOn(_clock);
                CountJudgements(builder.Services);
            });
        _hosts.Add(host);
        await host.StartAsync();
        if (waitForSockets)
        {
            await _socket.WaitForLiveConnectionsAsync(opened + 2, TimeSpan.FromSeconds(20));
        }

        return new Replica(host, [opened, opened + 1]);
    }

    /// <summary>The host's own judge, wrapped to count each answer it judges by question and member.</summary>
    private void CountJudgements(IServiceCollection services)
    {
        var index = services.Count - 1 - services.Reverse().TakeWhile(d => d.ServiceType != typeof(IAnswerJudge)).Count();
        var own = services[index];
        services[index] = ServiceDescriptor.Singleton<IAnswerJudge>(sp => new CountingJudge(
            (IAnswerJudge)(own.ImplementationInstance ?? own.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, own.ImplementationType!)),
            _judged));
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Slack:BotToken"] = BotToken,
        ["Slack:AppToken"] = AppToken,
        ["Slack:Transport"] = "SocketMode",
        ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
        ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = _keyPrefix,
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Judging:Sweep"] = "00:00:00.050",
    };

    /// <summary>Every replica ticks at the same moment, <paramref name="rounds"/> times over.</summary>
    private static async Task RaceAsync(IReadOnlyList<Replica> replicas, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Task.WhenAll(replicas.Select(r => Task.Run(r.TickAsync)));
        }
    }

    /// <summary>No study-group step failed or was left for the next tick.</summary>
    private void NoStudyGroupTrouble()
    {
        var trouble = _logs.Entries.Where(e => e.StartsWith("Warning Mockingbird.StudyGroups", StringComparison.Ordinal) || e.StartsWith("Error Mockingbird.StudyGroups", StringComparison.Ordinal)).ToList();
        Assert.True(trouble.Count == 0, string.Join('\n', trouble));
    }

    private static DateTimeOffset At(int year, int month, int day, int hourUtc) => new(year, month, day, hourUtc, 0, 0, TimeSpan.Zero);

    private static string JudgedKey(string questionId, string member) => $"{questionId}|slack:{member}";

    private async Task CommandAsync(string text, string user, IReadOnlyList<int>? via = null)
    {
        var command = SlackEvents.Command(text, user);
        command["channel_id"] = Study;
        await _socket.SendEnvelopeAsync("slash_commands", command, acceptsResponsePayload: true, connection: via?[0] ?? -1);
    }

    /// <summary>Presses the post's Answer button through one bot and sends the modal it opened through another (or any, when null).</summary>
    private async Task AnswerAsync(RecordedMessage post, string user, string answer, Replica? opens, Replica? sends)
    {
        var trigger = SlackEvents.NextId("trigger-");
        _web.RegisterTrigger(trigger);
        var click = SlackEvents.Click(Study, post.Ts, post.Ts, user, "mb:daily-answer", ButtonValue(post, "mb:daily-answer"), trigger);

        // A button on a message at the top of a channel comes without a thread.
        ((JsonObject)click["container"]!).Remove("thread_ts");
        await _socket.SendEnvelopeAsync("interactive", click, connection: opens?.Socket[0] ?? -1);
        var view = await Poll.ForAsync(() => _web.Views.FirstOrDefault(v => v.TriggerId == trigger)?.View, $"the answer form to open for {user}");
        await _socket.SendEnvelopeAsync("interactive", SlackEvents.FormSubmission(view, user, answer), acceptsResponsePayload: true, connection: sends?.Socket[1] ?? -1);
    }

    private List<RecordedMessage> RoundPosts() =>
        [.. _web.Messages(Study).Where(m => m.ThreadTs is null && Json(m.Blocks).Contains("mb:daily-answer", StringComparison.Ordinal))];

    private int EphemeralCount(string user, string text) =>
        _web.Ephemerals.Count(e => e.User == user && e.Channel == Study && (e.Text ?? string.Empty).Contains(text, StringComparison.Ordinal));

    private bool InThread(RecordedMessage post, string text) => CountInThread(post, text) > 0;

    private int CountInThread(RecordedMessage post, string text) =>
        _web.Thread(Study, post.Ts).Count(m => Json(m.Blocks).Contains(text, StringComparison.Ordinal));

    private static string ButtonValue(RecordedMessage message, string actionId) =>
        message.Blocks!.AsArray().SelectMany(block => block?["elements"]?.AsArray() ?? [])
            .Single(element => (string?)element?["action_id"] == actionId)!["value"]!.GetValue<string>();

    private static string Json(JsonNode? node) =>
        node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? string.Empty;

    private sealed class CountingJudge(IAnswerJudge inner, ConcurrentDictionary<string, int> judged) : IAnswerJudge
    {
        public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            judged.AddOrUpdate($"{request.Question.Id}|{request.CandidateId}", 1, (_, count) => count + 1);
            return inner.JudgeAsync(request, cancellationToken);
        }
    }
}
