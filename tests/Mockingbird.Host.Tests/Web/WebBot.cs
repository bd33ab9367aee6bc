using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Mockingbird.Host.Bot;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using ExperimentStep = Mockingbird.Experiments.InterviewStep;

namespace Mockingbird.Host.Tests.Web;

/// <summary>
/// A bot built by <see cref="BotHost.BuildAsync"/> with the web page on, on a fake clock, with one experiment and two
/// candidates' histories recorded. Its chat platform is never started: the page needs no connection to one.
/// </summary>
internal sealed class WebBot : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnop";

    public const string PublicBaseUrl = "https://mockingbird.example/";

    public const string Alice = "discord:1001", Bob = "discord:2002";

    public const string AliceTopic = "attention <b>heads</b>", BobTopic = "bob-only-topic-gradient-clipping";

    public static readonly ExperimentDesign Design = new(
        "judge-theory-v2",
        "judge-theory",
        "v1",
        [new("v1", 1), new("v2", 1), new("v3", 1)],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails(MaxP95LatencySeconds: 1, MinimumFeedbacks: 2));

    public const string StopReason = "too terse <i>per</i> the reviewers";

    public static readonly DateTimeOffset Start = new(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private WebBot(WebApplication app, FakeTimeProvider time, Uri address)
    {
        _app = app;
        Time = time;
        Address = address;
        Http = new HttpClient { BaseAddress = address };
    }

    public FakeTimeProvider Time { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IDashboardLinks Links => _app.Services.GetRequiredService<IDashboardLinks>();

    public IServiceProvider Services => _app.Services;

    public static async Task<WebBot> StartAsync(bool enabled = true, ILoggerProvider? logs = null, IEnumerable<KeyValuePair<string, string?>>? moreSettings = null, string publicBaseUrl = PublicBaseUrl)
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryExperimentStore();
        await SeedExperimentAsync(store, time);
        var prices = new Dictionary<string, ModelPrice> { ["gpt-4o-mini"] = new("gpt-4o-mini", 0.15m, 0.075m, 0.6m) };
        var app = await BotHost.BuildAsync(
            BotPlatform.Discord,
            [
                new("Urls", "http://127.0.0.1:0"),
                new("Discord:BotToken", "token"),
                new("Discord:ApplicationId", "123"),
                new("Web:Enabled", enabled ? "true" : "false"),
                new("Web:PublicBaseUrl", publicBaseUrl),
                new("Web:SigningKey", SigningKey),
                .. moreSettings ?? [],
            ],
            builder =>
            {
                // Only the web server starts: the Discord connection, workers and schedulers are left out.
                foreach (var ours in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true).ToList())
                    builder.Services.Remove(ours);
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Services.AddSingleton(new ExperimentReports(new Catalog([Design]), store, prices, time));
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                    builder.Logging.SetMinimumLevel(LogLevel.Trace);
                }
            });
        try
        {
            await SeedHistoryAsync(app.Services.GetRequiredService<ISessionStore>());
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        return new WebBot(app, time, new Uri(address));
    }

    /// <summary>The link as this test reaches it: the public base URL stands for the proxy in front of the bot.</summary>
    public Uri Local(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        Assert.StartsWith(PublicBaseUrl, link.AbsoluteUri, StringComparison.Ordinal);
        return new Uri(Address, link.PathAndQuery);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>Three looks a day apart: v2 is rated more helpful, slower and dearer than v1; an admin stopped v3.</summary>
    private static async Task SeedExperimentAsync(InMemoryExperimentStore store, FakeTimeProvider time)
    {
        for (var day = 0; day < 3; day++)
        {
            var at = Start.AddDays(day);
            for (var i = 0; i < 10; i++)
            {
                var n = day * 10 + i;
                foreach (var arm in Design.Arms)
                {
                    var candidate = $"{arm.Version}-candidate-{n}";
                    var slow = arm.Version != "v1";
                    await store.RecordAsync(new JudgedTurn(Design.Id, arm.Version, candidate, $"{arm.Version}-turn-{n}", "gpt-4o-mini", TimeSpan.FromSeconds(slow ? 2.5 : 0.8), 1200, 0, slow ? 400 : 200, n % 7 == 0 ? 1 : 0, n % 9 == 0, at), default);
                    await store.RecordAsync(new ArmVote(Design.Id, arm.Version, $"rater-{arm.Version}-{n}", $"{arm.Version}-turn-{n}", Helpful: slow ? i % 5 != 0 : i % 2 == 0, at), default);
                    await store.RecordAsync(new ExperimentStep(Design.Id, arm.Version, candidate, InterviewMilestone.Started, $"s-{arm.Version}-{n}", at), default);
                    await store.RecordAsync(new ExperimentStep(Design.Id, arm.Version, candidate, InterviewMilestone.Answered, $"s-{arm.Version}-{n}:1", at), default);
                    if (i % 3 != 0)
                        await store.RecordAsync(new ExperimentStep(Design.Id, arm.Version, candidate, InterviewMilestone.Finished, $"s-{arm.Version}-{n}", at), default);
                }
            }

            await store.AddSnapshotAsync(Design.Id, $"day-{day}", new ExperimentSnapshot(at.AddHours(12), await store.MetricsAsync(Design.Id, at.AddHours(12), default)), default);
        }

        await store.StopAsync(new ArmStop(Design.Id, "v3", StopReason, "admin-42", Start.AddDays(1)), default);
        time.SetUtcNow(Start.AddDays(3));
    }

    private static async Task SeedHistoryAsync(ISessionStore sessions)
    {
        for (var day = 0; day < 3; day++)
        {
            var at = Start.AddDays(day).AddHours(2);
            await CompleteAsync(sessions, Alice, $"alice-{day}", new(at, $"alice-{day}", InterviewPlan.Full, 2.0 + day * 0.5,
                [new(Stage.Theory, 2.0 + day * 0.5), new(Stage.Design, 1.5 + day * 0.5)],
                [new(AliceTopic, 1.0 + day), new("transformers", 2.5)], ["q-1"],
                [new("coverage", 2.0 + day * 0.5), new("trade-offs", 1.5), new("serving", 3.0)]));
        }

        await CompleteAsync(sessions, Bob, "bob-0", new(Start.AddHours(3), "bob-0", InterviewPlan.Theory, 3.5, [new(Stage.Theory, 3.5)], [new(BobTopic, 3.5)], ["q-2"]));
    }

    private static async Task CompleteAsync(ISessionStore sessions, string candidate, string sessionId, HistoryEntry entry)
    {
        var session = new InterviewSession(
            sessionId, candidate, new InterviewOptions(entry.Plan), 7, [new PlannedQuestion("q-1", Stage.Theory)], new InterviewItem(0),
            SessionPhase.Completed, [], new Dictionary<string, int>(), false, entry.CompletedAt, entry.CompletedAt);
        var written = await sessions.WriteAsync(new SessionWrite(session, 0, History: entry), default);
        Assert.Equal(WriteOutcome.Saved, written.Outcome);
    }

    private sealed record Catalog(IReadOnlyList<ExperimentDesign> Designs) : IExperimentCatalog;
}
