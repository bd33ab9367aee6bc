using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Rubric;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// Study groups on Discord as they run in production: replicas of the bot sharing one real redis-server and one
/// Discord (the fake, speaking the gateway and REST on 127.0.0.1 and checking every body against the published
/// schema). Each in-process replica keeps the system clock for Discord's own timing, while its study groups run on a
/// fake clock the test shares between replicas and moves over days.
/// </summary>
public sealed class DiscordStudyGroupReplicaTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.study-replicas.bot-token-that-must-never-be-logged";
    private const string Channel = DiscordEvents.Channel;
    private const string Admin = DiscordEvents.Candidate;
    private const string Member = DiscordEvents.Bystander;

    /// <summary>A word of every answer that no log line may hold.</summary>
    private const string Secret = "regularisation";

    private readonly string _keyPrefix = "study" + Guid.NewGuid().ToString("N")[..8];
    private readonly RecordingLoggerProvider _logs = new();
    private readonly List<WebApplication> _replicas = [];
    private readonly List<FakeGateway> _gateways = [];
    private readonly List<BotProcess> _processes = [];

    /// <summary>Every judge call of every in-process replica, by the answer judged.</summary>
    private readonly ConcurrentDictionary<string, int> _judged = new(StringComparer.Ordinal);

    private RedisServer _redis = null!;
    private FakeDiscordApi _api = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId);
    }

    public async Task DisposeAsync()
    {
        // The replicas go first: a live socket or a held request must not outlive the fakes.
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        foreach (var replica in _replicas)
        {
            await replica.StopAsync();
            await replica.DisposeAsync();
        }

        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _api.DisposeAsync();
        await _redis.DisposeAsync();
        _logs.Dispose();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Two_replicas_racing_for_every_slot_over_three_days_across_a_DST_change_post_judge_and_reveal_each_once()
    {
        // Friday 26 March 2027, 21:00 in Berlin; clocks there go forward on Sunday at 02:00.
        var clock = new FakeTimeProvider(new DateTimeOffset(2027, 3, 26, 20, 0, 0, TimeSpan.Zero));
        var first = await StartReplicaAsync(clock);
        var second = await StartReplicaAsync(clock);
        Replica[] both = [first, second];

        var set = await CommandAsync(first, DiscordEvents.Daily("set", Admin, DiscordEvents.ModeratorPermissions, new JsonArray(
            new JsonObject { ["name"] = "time", ["type"] = 3, ["value"] = "09:00" },
            new JsonObject { ["name"] = "timezone", ["type"] = 3, ["value"] = "Europe/Berlin" },
            new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = Channel },
            new JsonObject { ["name"] = "hours", ["type"] = 4, ["value"] = 2 })));
        Assert.Contains($"Daily question set for <#{Channel}>", set, StringComparison.Ordinal);

        // 09:00 in Berlin is 08:00 UTC on Saturday, 07:00 UTC once summer time has begun.
        DateTimeOffset[] slots =
        [
            new(2027, 3, 27, 8, 0, 0, TimeSpan.Zero),
            new(2027, 3, 28, 7, 0, 0, TimeSpan.Zero),
            new(2027, 3, 29, 7, 0, 0, TimeSpan.Zero),
        ];
        for (var day = 0; day < slots.Length; day++)
        {
            var slot = slots[day];
            var when = slot.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

            // A minute early, no replica posts: the slot is in Berlin's time, whatever the offset that day.
            clock.SetUtcNow(slot.AddMinutes(-1));
            await TickAllAsync(both);
            Assert.Equal(day, _api.Messages(Channel).Count);

            clock.SetUtcNow(slot.AddSeconds(30));
            await TickAllAsync(both);
            var thread = await Poll.ForAsync(() => _api.Threads.Count > day ? _api.Threads[^1] : null, $"the thread of {when}");
            var posts = _api.Messages(Channel);
            Assert.Equal(day + 1, posts.Count);
            Assert.Equal(day + 1, _api.Threads.Count);
            var post = posts[^1];
            Assert.Equal((post.Id, Channel), (thread.Id, thread.ParentId));
            Assert.Contains($"<t:{slot.AddHours(2).ToUnixTimeSeconds()}:F>", Text(post), StringComparison.Ordinal);
            var answerButton = (string)post.Body["components"]![0]!["components"]![0]!["custom_id"]!;
            Assert.True(ComponentIds.IsDailyAnswer(answerButton, out var roundId));
            Assert.EndsWith(":" + when, roundId, StringComparison.Ordinal);
            await Poll.UntilAsync(async () => (await first.Services.GetRequiredService<IStudyGroupStore>().FindRoundAsync(roundId, default))?.State == RoundState.Open, $"the round of {when} to open once its thread exists");

            // Each member opens the form on one replica and sends it through the other.
            var answers = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [Admin] = $"On {when} I would compare training and validation error, plot learning curves, then add {Secret}, more data and early stopping.",
                [Member] = $"On {when}: the model overfits, so {Secret} such as dropout or weight decay, and more data.",
            };
            foreach (var (member, opensOn, sendsOn) in new[] { (Admin, first, second), (Member, second, first) })
            {
                var modal = await PressAsync(opensOn, DiscordEvents.DailyAnswer(Channel, member, answerButton, post.Id));
                Assert.Equal(9, modal["type"]!.GetValue<int>());
                var reply = await CommandAsync(sendsOn, DiscordEvents.DailyForm(Channel, member, (string)modal["data"]!["custom_id"]!, answers[member]));
                Assert.Contains("Your answer is in", reply, StringComparison.Ordinal);
            }

            Assert.Contains($"2 · <@{Admin}>, <@{Member}>", Text(_api.Edits.Last(e => e.MessageId == post.Id).Body), StringComparison.Ordinal);
            Assert.Empty(_api.Messages(thread.Id));

            // Past the deadline both replicas keep looking while their judging workers take the answers.
            clock.SetUtcNow(slot.AddHours(2).AddSeconds(1));
            var store = first.Services.GetRequiredService<IStudyGroupStore>();
            await Poll.UntilAsync(
                async () =>
                {
                    await TickAllAsync(both);
                    return (await store.FindRoundAsync(roundId, default))?.State == RoundState.Done;
                },
                $"the round of {when} to be revealed",
                TimeSpan.FromSeconds(20));
            await TickAllAsync(both);

            Assert.Equal(2, (await store.ResultsAsync(roundId, default)).Count);
            Assert.All(answers.Values, answer => Assert.Equal(1, _judged.GetValueOrDefault(answer)));
            Assert.Equal(1, Count(thread.Id, "The reveal"));
            Assert.Equal(1, Count(thread.Id, "What a strong answer covers"));
            Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Admin}>"));
            Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Member}>"));
            Assert.Equal(1, Count(thread.Id, "Today's board"));
            Assert.Contains("closed", Text(_api.Edits.Last(e => e.MessageId == post.Id).Body), StringComparison.Ordinal);
        }

        Assert.Equal(slots.Length * 2, _judged.Values.Sum());
        Assert.Equal(slots.Length, _api.Messages(Channel).Count);
        Assert.Equal(slots.Length, _api.Threads.Count);
        AssertEveryRequestWasValid();
    }

    [Fact]
    public async Task Answers_taken_by_a_bot_killed_mid_round_are_judged_and_revealed_once_by_a_replica_after_the_deadline()
    {
        var gateway = await StartGatewayAsync();
        _api.GatewayUrl = gateway.Url.ToString();
        var killed = BotProcess.Start("discord", ProcessSettings());
        _processes.Add(killed);
        await WithOutputAsync(
            async () =>
            {
                await gateway.WaitForSessionsAsync(1, TimeSpan.FromSeconds(30));
                return gateway;
            },
            "the bot process to connect to the gateway");
        var process = new Replica(null, gateway);

        // Set for half a day from now, so that only the round asked for with `daily now` falls in this test. The bot
        // runs in its own process, on the real clock, so "now" here is the real one.
        var at = TimeProvider.System.GetUtcNow().AddHours(12).ToString("HH:mm", CultureInfo.InvariantCulture);
        var set = await CommandAsync(process, DiscordEvents.Daily("set", Admin, DiscordEvents.ModeratorPermissions, new JsonArray(
            new JsonObject { ["name"] = "time", ["type"] = 3, ["value"] = at },
            new JsonObject { ["name"] = "timezone", ["type"] = 3, ["value"] = "UTC" },
            new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = Channel },
            new JsonObject { ["name"] = "hours", ["type"] = 4, ["value"] = 1 })));
        Assert.Contains($"Daily question set for <#{Channel}>", set, StringComparison.Ordinal);
        Assert.Contains($"Posted in <#{Channel}>", await CommandAsync(process, DiscordEvents.Daily("now", Admin, DiscordEvents.ModeratorPermissions)), StringComparison.Ordinal);

        var post = Assert.Single(_api.Messages(Channel));
        var thread = Assert.Single(_api.Threads);
        var answerButton = (string)post.Body["components"]![0]!["components"]![0]!["custom_id"]!;
        var answers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Admin] = $"I would compare training and validation error, plot learning curves, then add {Secret}, more data and early stopping.",
            [Member] = $"The model overfits: variance is high, so {Secret} such as dropout or weight decay, and more data.",
        };
        foreach (var (member, answer) in answers)
        {
            var modal = await PressAsync(process, DiscordEvents.DailyAnswer(Channel, member, answerButton, post.Id));
            var reply = await CommandAsync(process, DiscordEvents.DailyForm(Channel, member, (string)modal["data"]!["custom_id"]!, answer));
            Assert.Contains("Your answer is in", reply, StringComparison.Ordinal);
        }

        await killed.KillAsync();

        // A replica whose study-group clock reads a minute past the deadline takes the round over. Its fake clock starts
        // from the real one because the killed process stamped the round on the real clock.
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var replica = await StartReplicaAsync(clock, gateway, sessionsBefore: 1);
        var store = replica.Services.GetRequiredService<IStudyGroupStore>();
        var round = Assert.Single(await store.UnfinishedRoundsAsync(default));
        Assert.Equal(RoundState.Open, round.State);
        clock.SetUtcNow(round.Deadline.AddMinutes(1));
        await Poll.UntilAsync(
            async () =>
            {
                await TickAllAsync([replica]);
                return (await store.FindRoundAsync(round.Id, default))?.State == RoundState.Done;
            },
            "the round the killed bot took answers for to be revealed",
            TimeSpan.FromSeconds(20));
        await TickAllAsync([replica]);

        Assert.Equal(2, (await store.ResultsAsync(round.Id, default)).Count);
        Assert.All(answers.Values, answer => Assert.Equal(1, _judged.GetValueOrDefault(answer)));
        Assert.Equal(1, Count(thread.Id, "The reveal"));
        Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Admin}>"));
        Assert.Equal(1, Count(thread.Id, $"Feedback for <@{Member}>"));
        Assert.Equal(1, Count(thread.Id, "Today's board"));
        Assert.Single(_api.Messages(Channel));
        AssertEveryRequestWasValid();
        Assert.DoesNotContain(Token, killed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, killed.Output, StringComparison.Ordinal);
    }

    /// <summary>One replica: the app in this process (null for the bot in a process of its own) and the gateway it listens on.</summary>
    private sealed record Replica(WebApplication? App, FakeGateway Gateway)
    {
        public IServiceProvider Services => App?.Services ?? throw new InvalidOperationException("The bot in its own process has no services here.");

        public DailyScheduler Scheduler => Services.GetRequiredService<DailyScheduler>();
    }

    /// <summary>
    /// Builds and starts a replica as the host composes it, with its study groups on <paramref name="clock"/> and its
    /// scheduler's own loop off (the test ticks it). Each replica listens on a gateway of its own unless given one, so
    /// the test chooses which replica an interaction reaches, as Discord does by session.
    /// </summary>
    private async Task<Replica> StartReplicaAsync(FakeTimeProvider clock, FakeGateway? gateway = null, int sessionsBefore = 0)
    {
        gateway ??= await StartGatewayAsync();
        _api.GatewayUrl = gateway.Url.ToString();
        // The same settings as a bot process, served on a free loopback port.
        var settings = ProcessSettings().ToDictionary(setting => setting.Key, setting => (string?)setting.Value, StringComparer.Ordinal);
        settings["Urls"] = "http://127.0.0.1:0";
        settings["Logging:LogLevel:Default"] = "Information";
        var app = await BotHost.BuildAsync(BotPlatform.Discord, settings, builder =>
        {
            builder.Logging.ClearProviders().AddProvider(_logs);
            builder.Services.RunStudyGroupsOn(clock);
            builder.Services.Replace(ServiceDescriptor.Singleton<IAnswerJudge>(sp => new CountingJudge(sp.GetRequiredService<RubricJudge>(), _judged)));
        });
        _replicas.Add(app);
        await app.StartAsync();
        await gateway.WaitForSessionsAsync(sessionsBefore + 1, TimeSpan.FromSeconds(15));
        return new Replica(app, gateway);
    }

    private async Task<FakeGateway> StartGatewayAsync()
    {
        var gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromSeconds(41));
        _gateways.Add(gateway);
        return gateway;
    }

    private Dictionary<string, string> ProcessSettings() => new()
    {
        ["Discord:BotToken"] = Token,
        ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
        ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
        ["Discord:DevelopmentGuildIds:0"] = DiscordEvents.Guild,
        ["Redis:Configuration"] = _redis.Endpoint,
        ["Redis:KeyPrefix"] = _keyPrefix,
        ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        ["Judging:Sweep"] = "00:00:00.050",
        ["Logging:LogLevel:Default"] = "Debug",
    };

    /// <summary>Every replica's scheduler looks several times at once, as replicas whose loops fire together would.</summary>
    private static Task TickAllAsync(IReadOnlyList<Replica> replicas) =>
        Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => replicas.Select(r => Task.Run(() => r.Scheduler.TickAsync(default)))));

    /// <summary>Sends an interaction to one replica's gateway session and returns the reply it completes with.</summary>
    private async Task<string> CommandAsync(Replica replica, FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, Channel);
        await replica.Gateway.DispatchAsync("INTERACTION_CREATE", interaction.Body);
        var edit = await WithOutputAsync(
            () => Poll.ForAsync(() => _api.OriginalEdits.FirstOrDefault(e => e.Token == interaction.Token), $"the reply to interaction {interaction.Id}"),
            $"the reply to interaction {interaction.Id}");
        return edit.Body["content"]!.GetValue<string>();
    }

    /// <summary>Presses a button through one replica's gateway session and returns the first response to it.</summary>
    private async Task<JsonObject> PressAsync(Replica replica, FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, Channel);
        await replica.Gateway.DispatchAsync("INTERACTION_CREATE", interaction.Body);
        var callback = await WithOutputAsync(
            () => Poll.ForAsync(() => _api.Callbacks.FirstOrDefault(c => c.InteractionId == interaction.Id), $"the response to button press {interaction.Id}"),
            $"the response to button press {interaction.Id}");
        return callback.Body;
    }

    private void AssertEveryRequestWasValid()
    {
        Assert.Empty(_api.Violations);
        Assert.All(_gateways, g => Assert.Empty(g.Violations));
        Assert.All(_api.AllMessages, m => Assert.True(m.Body["nonce"] is not null && m.Body["enforce_nonce"]!.GetValue<bool>(), $"message {m.Id} has no enforced nonce"));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains(Token, StringComparison.Ordinal) || l.Contains(Secret, StringComparison.Ordinal));
    }

    private static string Text(JsonObject message) => message["content"]?.GetValue<string>() ?? string.Empty;

    private static string Text(PostedMessage message) => Text(message.Body);

    private int Count(string channel, string text) => _api.Messages(channel).Count(m => Text(m).Contains(text, StringComparison.Ordinal));

    /// <summary>A wait that fails with what a bot process printed, which is all there is to go on when it misbehaves.</summary>
    private async Task<T> WithOutputAsync<T>(Func<Task<T>> wait, string what)
    {
        try
        {
            return await wait();
        }
        catch (TimeoutException ex) when (_processes.Count > 0)
        {
            var output = string.Join("\n", _processes.Select((p, i) => $"--- bot process {i + 1} ({p.State}) ---\n{p.Output}"));
            throw new TimeoutException($"Timed out waiting for {what}.\n{output}", ex);
        }
    }

    /// <summary>The replica's own judge, counting what it is asked to judge, so that a second judging shows.</summary>
    private sealed class CountingJudge(IAnswerJudge inner, ConcurrentDictionary<string, int> judged) : IAnswerJudge
    {
        public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            judged.AddOrUpdate(request.Answer, 1, (_, count) => count + 1);
            return inner.JudgeAsync(request, cancellationToken);
        }
    }
}
