using System.Globalization;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Interview.Telemetry;
using Mockingbird.Judging.Rubric;
using Mockingbird.Sessions.Redis;
using Mockingbird.Testing;

namespace Mockingbird.Host.Tests;

/// <summary>The engine's meters, read the way an exporter reads them, after real turns and judging jobs.</summary>
public sealed class MeterTests
{
    private const string Answer = "Because the variance grows, the softmax saturates and the gradients vanish.";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero));

    /// <summary>A judge that takes as long as it is told on the fake clock, or throws.</summary>
    private sealed class TimedJudge(FakeTimeProvider time, TimeSpan takes, bool fails = false) : IAnswerJudge
    {
        public Task<Feedback> JudgeAsync(JudgeRequest request, CancellationToken cancellationToken)
        {
            time.Advance(takes);
            return fails ? throw new HttpRequestException("the judge is down") : Task.FromResult(RubricJudge.Judge(request));
        }
    }

    private ServiceProvider Services(IAnswerJudge judge, RecordingOutput output, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }.Concat(settings ?? [])).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        more?.Invoke(services);
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(judge);
        services.AddSingleton<IInterviewOutput>(output);
        services.AddSingleton<JudgingWorker>();
        return services.BuildServiceProvider();
    }

    private static MetricCollector<T> Collect<T>(IServiceProvider services, string instrument)
        where T : struct =>
        new(services.GetRequiredService<IMeterFactory>(), InterviewTelemetry.Name, instrument);

    [Fact]
    public async Task Each_turn_is_counted_once_by_the_kind_of_input_it_was()
    {
        await using var services = Services(new TimedJudge(_time, TimeSpan.Zero), new RecordingOutput());
        using var turns = Collect<long>(services, "mockingbird.turns");
        var interview = services.GetRequiredService<InterviewService>();

        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
        await interview.HandleAsync("c-1", new HintRequested(), default);
        await interview.HandleAsync("c-1", new AnswerSubmitted(Answer), default);

        var byInput = turns.GetMeasurementSnapshot().ToLookup(m => (string)m.Tags["mockingbird.input"]!, m => m.Value);
        Assert.Equal([1], byInput["start"]);
        Assert.Equal([1], byInput["hint"]);
        Assert.Equal([1], byInput["answer"]);
        Assert.Equal(3, turns.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task A_judging_job_records_how_long_its_judge_took_and_which_judge_answered()
    {
        var output = new RecordingOutput();
        await using var services = Services(new TimedJudge(_time, TimeSpan.FromSeconds(2.5)), output);
        using var duration = Collect<double>(services, "mockingbird.judge.duration");
        var interview = services.GetRequiredService<InterviewService>();
        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
        await interview.HandleAsync("c-1", new AnswerSubmitted(Answer), default);

        Assert.Equal(1, await services.GetRequiredService<JudgingWorker>().RunOnceAsync("w-1", 4, default));

        var judged = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(2.5, judged.Value);
        Assert.Equal(RubricJudge.JudgeName, judged.Tags["mockingbird.judge"]);
        Assert.False(judged.Tags.ContainsKey("error.type"));
        Assert.Single(output.Feedback);
    }

    [Fact]
    public async Task A_job_that_fails_its_last_attempt_is_counted_as_a_dead_letter_and_its_judge_failure_timed()
    {
        var output = new RecordingOutput();
        await using var services = Services(new TimedJudge(_time, TimeSpan.FromSeconds(1), fails: true), output, new() { ["Sessions:MaxAttempts"] = "1" });
        using var deadLetters = Collect<long>(services, "mockingbird.judging.dead_letters");
        using var duration = Collect<double>(services, "mockingbird.judge.duration");
        var interview = services.GetRequiredService<InterviewService>();
        await interview.StartAsync("c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
        await interview.HandleAsync("c-1", new AnswerSubmitted(Answer), default);

        await services.GetRequiredService<JudgingWorker>().RunOnceAsync("w-1", 4, default);

        var dead = Assert.Single(deadLetters.GetMeasurementSnapshot());
        Assert.Equal(1, dead.Value);
        Assert.Equal("failed", dead.Tags["mockingbird.dead_letter.reason"]);
        var failed = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal(nameof(HttpRequestException), failed.Tags["error.type"]);
        Assert.Equal(1.0, failed.Value);
    }

    [Fact]
    public async Task The_queue_gauges_read_the_jobs_waiting_in_redis_and_the_age_of_the_oldest()
    {
        await using var redis = await RedisServer.StartAsync();

        var settings = new Dictionary<string, string?> { ["Redis:Configuration"] = redis.Endpoint, ["Redis:KeyPrefix"] = "meters", ["Redis:Shards"] = "2" };
        var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
        await using var services = Services(new TimedJudge(_time, TimeSpan.Zero), new RecordingOutput(), settings, s =>
        {
            s.AddRedisSessionStore(connection);
            s.AddSingleton<IJudgingQueueReadings, RedisJudgingQueueTelemetry>();
            s.AddSingleton<JudgingQueueTelemetry>();
        });
        await services.GetRequiredService<RedisSessionStore>().EnsureConsumerGroupsAsync(default);
        var gauges = services.GetRequiredService<JudgingQueueTelemetry>();
        using var depth = Collect<long>(services, "mockingbird.judging.queue.depth");
        using var age = Collect<double>(services, "mockingbird.judging.queue.age");
        var interview = services.GetRequiredService<InterviewService>();
        foreach (var candidate in new[] { "c-1", "c-2", "c-3" })
        {
            await interview.StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 3, default);
            await interview.HandleAsync(candidate, new AnswerSubmitted(Answer), default);
        }

        // Stream ids carry the server's clock: the fake one moves to ten minutes after the server's now, which is
        // at least ten minutes after the oldest job was queued (and a few seconds more on a slow machine).
        _time.SetUtcNow(await ServerNowAsync(redis) + TimeSpan.FromMinutes(10));
        await gauges.RefreshAsync(default);
        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Equal(3, depth.LastMeasurement!.Value);
        Assert.InRange(age.LastMeasurement!.Value, 600, 630);

        await services.GetRequiredService<JudgingWorker>().RunOnceAsync("w-1", 8, default);
        await gauges.RefreshAsync(default);
        depth.RecordObservableInstruments();
        age.RecordObservableInstruments();

        Assert.Equal(0, depth.LastMeasurement!.Value);
        Assert.Equal(0, age.LastMeasurement!.Value);
    }

    private static async Task<DateTimeOffset> ServerNowAsync(RedisServer redis)
    {
        // TIME answers seconds and microseconds as two bulk strings.
        var parts = (await redis.CommandAsync("TIME")).Split("\r\n").Where(p => p.Length > 0 && char.IsDigit(p[0])).Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToList();
        return DateTimeOffset.FromUnixTimeMilliseconds((parts[0] * 1000) + (parts[1] / 1000));
    }
}
