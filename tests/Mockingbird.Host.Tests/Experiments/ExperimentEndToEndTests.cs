using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Mockingbird.Host.Bot;
using Mockingbird.Host.Cli;
using Mockingbird.Host.Experiments;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Judging.Llm.Tests;
using Mockingbird.Sessions.Redis;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Host.Tests.Experiments;

/// <summary>
/// One bot as <see cref="BotHost.BuildAsync"/> composes it, on a fake clock: an experiment on the theory judge declared
/// in <c>experiments.yaml</c>, the LLM on the fake OpenAI server (which fails every call made with the challenger's
/// prompt), a real redis-server behind the sessions, the judging queue and the experiment store, and the web page on.
/// Candidates' interviews run through the interview service and the judging worker; the guard and the refresher run
/// as the host runs them. What it proves is that the pieces meet: the arm that fails is stopped by the guard, its
/// candidates are served the baseline, the admins hear of it once, and chat, the command line and the page agree.
/// </summary>
// Bots read MOCKINGBIRD_ environment variables, which CLI tests set for a call.
[Collection(nameof(CliTests))]
public sealed class ExperimentEndToEndTests : IAsyncLifetime
{
    private const string ExperimentId = "judge-theory-e2e";
    private const string Admin = "discord:guild-1:admin-1";
    private const string PublicBaseUrl = "https://mockingbird.example/";
    private const int MinimumFeedbacks = 4;

    /// <summary>Only the challenger's prompt (judge-theory v2) says this; the baseline's (v1) does not.</summary>
    private const string ChallengerPromptText = "How to grade:";

    private const string Answer = "Dot products grow with the key dimension, so without scaling the softmax saturates and its gradients vanish.";

    private const string Reason = "fell back to the offline judge on 100 % of answers (limit 20 %)";

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan LookEvery = TimeSpan.FromMinutes(1);

    private readonly string _prompts = Directory.CreateTempSubdirectory("experiment-e2e-prompts-").FullName;
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RecordingOutput _output = new();
    private readonly (Mock<IStudyGroupPlatform> Platform, List<(string Channel, string Text, string Key)> Posts) _admins = GuardedExperiment.Platform();
    private RedisServer _redis = null!;
    private FakeOpenAiServer _llm = null!;
    private WebApplication _bot = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "prompts"), _prompts);
        await File.WriteAllTextAsync(Path.Combine(_prompts, "experiments.yaml"), $"""
            experiments:
              - id: {ExperimentId}
                prompt: judge-theory
                baseline: v1
                smallest_difference: 0.1
                guardrails:
                  max_fallback_rate: 0.2
                  minimum_feedbacks: {MinimumFeedbacks}
                variants:
                  - version: v1
                    weight: 50
                  - version: v2
                    weight: 50
            """);
        _redis = await RedisServer.StartAsync();
        _llm = await FakeOpenAiServer.StartAsync();
        _llm.OtherwiseFailingSome(
            request => FakeOpenAiServer.MessageText(request, "system").Contains(ChallengerPromptText, StringComparison.Ordinal),
            FakeOpenAiServer.ReplyLikeAModel);

        _bot = await BotHost.BuildAsync(
            BotPlatform.Discord,
            [
                new("Urls", "http://127.0.0.1:0"),
                new("Discord:BotToken", "token"),
                new("Discord:ApplicationId", "123"),
                new("Redis:Configuration", _redis.Endpoint),
                new("QuestionBank:Directory", RepositoryPaths.QuestionBank),
                new("Llm:Provider", "OpenAICompatible"),
                new("Llm:Endpoint", _llm.BaseUrl.ToString()),
                new("Llm:Model", "fake-model"),
                new("Llm:ApiKey", "sk-test"),
                new("Llm:MaxRetries", "0"),

                // The challenger fails every call: the breaker, shared by all prompts, must not open on the baseline too.
                new("Llm:BreakerMinimumThroughput", "1000"),
                new("Prompts:Directory", _prompts),
                new("Experiments:AdminChannel", GuardedExperiment.AdminChannel),
                new("Experiments:LookEvery", "00:01:00"),
                new("Web:Enabled", "true"),
                new("Web:PublicBaseUrl", PublicBaseUrl),
                new("Web:SigningKey", "test-signing-key-0123456789-abcdefghijklmnop"),
            ],
            builder =>
            {
                // The guard and the refresher run as in production; the Discord connection, the schedulers and the
                // judging loop are left out (the test runs the judging worker itself, one batch at a time).
                foreach (var ours in builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true).ToList())
                    builder.Services.Remove(ours);
                builder.Services.AddHostedService(sp => sp.GetRequiredService<ExperimentGuard>());
                builder.Services.AddHostedService(sp => sp.GetRequiredService<ExperimentControlRefresher>());
                builder.Services.AddSingleton<TimeProvider>(_time);
                builder.Services.RemoveAll<IInterviewOutput>();
                builder.Services.AddSingleton<IInterviewOutput>(_output);
                builder.Services.RemoveAll<IStudyGroupPlatform>();
                builder.Services.AddSingleton(_admins.Platform.Object);
            });
        await _bot.StartAsync();
        _address = new Uri(_bot.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        if (_bot is not null)
        {
            await _bot.StopAsync();
            await _bot.DisposeAsync();
        }

        if (_llm is not null)
            await _llm.DisposeAsync();
        if (_redis is not null)
            await _redis.DisposeAsync();
        Directory.Delete(_prompts, recursive: true);
    }

    private T Service<T>()
        where T : notnull => _bot.Services.GetRequiredService<T>();

    [Fact]
    public async Task A_challenger_that_keeps_failing_is_stopped_once_its_candidates_get_the_baseline_and_chat_the_cli_and_the_page_show_why()
    {
        var store = Service<IExperimentStore>();
        Assert.IsType<RedisExperimentStore>(store);
        var prompts = Service<PromptExperiments>();
        var design = Assert.Single(prompts.Designs);
        Assert.Equal<(string, string, double?, long)>((ExperimentId, "v1", 0.2, MinimumFeedbacks), (design.Id, design.Baseline, design.Guardrails.MaxFallbackRate, design.Guardrails.MinimumFeedbacks));

        // The guard's first look, at start, keeps a snapshot; its timer is set by then.
        await Poll.UntilAsync(async () => (await store.SnapshotsAsync(ExperimentId, default)).Count == 1, "the guard's first look at start");

        var candidates = Enumerable.Range(0, 200).Select(i => $"discord:guild-1:candidate-{i}").ToLookup(c => ArmAssignment.Randomised(design, c).Version);
        var inBaseline = candidates["v1"].Take(2).ToList();
        var inChallenger = candidates["v2"].Take(3).ToList();
        var lateInChallenger = candidates["v2"].ElementAt(3);
        foreach (var candidate in inBaseline.Concat(inChallenger))
            await InterviewAsync(candidate);

        // Begun before the stop, answered after it.
        await Service<InterviewService>().StartAsync(lateInChallenger, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 7, default);

        var before = (await store.MetricsAsync(ExperimentId, _time.GetUtcNow(), default)).ToDictionary(m => m.Arm);
        Assert.True(before["v2"].Feedbacks > MinimumFeedbacks, $"v2 has {before["v2"].Feedbacks} judged answers, not more than {MinimumFeedbacks}");
        Assert.Equal(before["v2"].Feedbacks, before["v2"].Fallbacks);
        Assert.True(before["v1"].Feedbacks > 0);
        Assert.Equal(0, before["v1"].Fallbacks);
        Assert.All(FeedbackOf(inChallenger[0]), f => Assert.Equal(("offline-fallback", ExperimentId, "v2"), (f.Source?.JudgeKind, f.Source?.Experiment, f.Source?.Arm)));
        Assert.All(FeedbackOf(inBaseline[0]), f => Assert.Equal(("llm", "v1", "v1"), (f.Source?.JudgeKind, f.Source?.PromptVersion, f.Source?.Arm)));
        Assert.Empty(_admins.Posts);
        Assert.Null((await store.ControlAsync(default)).StopOf(ExperimentId, "v2"));

        // The guard's next look, on the host's clock.
        _time.Advance(LookEvery);
        await Poll.UntilAsync(() => PostCount() == 1, "the guard's next look to stop v2 and tell the admins");

        var stop = (await store.ControlAsync(default)).StopOf(ExperimentId, "v2");
        Assert.NotNull(stop);
        Assert.Equal((ExperimentGuard.GuardrailStopper, Reason, Start + LookEvery), (stop.By, stop.Reason, stop.At));
        Assert.Null((await store.ControlAsync(default)).StopOf(ExperimentId, "v1"));
        var (channel, notice, key) = _admins.Posts[0];
        Assert.Equal("admins", channel);
        Assert.Equal(ExperimentGuard.NoticeKey(stop), key);
        Assert.Contains($"Experiment {ExperimentId} (prompt judge-theory): arm v2 was stopped automatically", notice, StringComparison.Ordinal);
        Assert.Contains($"Why: {Reason}.", notice, StringComparison.Ordinal);

        // The stop reaches this replica's prompt choices through the store's signal, and the late candidate's next
        // answer is judged with the baseline prompt while still counted in v2 (intention to treat).
        await Poll.UntilAsync(() => prompts.Control.Current.StopOf(ExperimentId, "v2") is not null, "the stop to reach this replica's prompt choices");
        var afterStop = await AnswerAsync(lateInChallenger);
        Assert.Equal(("llm", "judge-theory", "v1", ExperimentId, "v2"), (afterStop.Source?.JudgeKind, afterStop.Source?.PromptName, afterStop.Source?.PromptVersion, afterStop.Source?.Experiment, afterStop.Source?.Arm));

        // Later looks, by the running guard and by hand, tell nobody again.
        _time.Advance(LookEvery);
        await Service<ExperimentGuard>().LookAsync(default);
        await Service<ExperimentGuard>().LookAsync(default);
        Assert.Equal(1, PostCount());
        Assert.Single((await store.ControlAsync(default)).Stops);

        // mockingbird experiments report <id>, text and JSON.
        var text = await CliReportAsync(json: false);
        Assert.StartsWith($"Experiment {ExperimentId} on prompt judge-theory, baseline v1", text, StringComparison.Ordinal);
        var stoppedLine = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stopped {stop.At:yyyy-MM-dd HH:mm} UTC by guardrail: {Reason}");
        Assert.Contains(text.Split('\n'), line => line.StartsWith("- v2: ", StringComparison.Ordinal) && line.EndsWith(stoppedLine, StringComparison.Ordinal));
        using (var json = JsonDocument.Parse(await CliReportAsync(json: true)))
        {
            var stopJson = Assert.Single(json.RootElement.GetProperty("stops").EnumerateArray());
            Assert.Equal(("v2", "guardrail", Reason), (stopJson.GetProperty("arm").GetString(), stopJson.GetProperty("by").GetString(), stopJson.GetProperty("reason").GetString()));
        }

        // /mock admin experiments report <id> in chat: an admin sees the stop; anyone else is refused and sees nothing.
        var chat = Service<ChatInterviews>();
        var report = ChatCommand.ParseText($"admin experiments report {ExperimentId}");
        var adminReply = await chat.CommandAsync(new ChatRequest(Admin, "event-admin", 1, Manages(true)), report, Mock.Of<IChatSurface>(), "/mock", default);
        Assert.Contains(adminReply.Split('\n'), line => line.StartsWith("- v2: ", StringComparison.Ordinal) && line.EndsWith(stoppedLine, StringComparison.Ordinal));
        // The admin of a server of their own, not the one the operator named, is refused like anyone else.
        foreach (var check in new[] { Manages(false), null, Manages(true, "discord:a-server-of-their-own") })
        {
            var refused = await chat.CommandAsync(new ChatRequest(inBaseline[0], "event-candidate", 2, check), report, Mock.Of<IChatSurface>(), "/mock", default);
            Assert.Equal(ExperimentCommands.NotAnAdmin, refused);
        }

        // The dashboard, through the link the bot would send the admin.
        var link = Service<IDashboardLinks>().ForDashboard(Admin);
        Assert.StartsWith(PublicBaseUrl, link.AbsoluteUri, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var page = await http.GetAsync(new Uri(_address, link.PathAndQuery));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains($"{ExperimentId}: prompt judge-theory", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Status</th><td>baseline</td><td>stopped</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<strong>v2</strong> stopped {stop.At:yyyy-MM-dd HH:mm} UTC by guardrail: {WebUtility.HtmlEncode(Reason)}. Its candidates get v1 from their next answer.", html, StringComparison.Ordinal);
    }

    /// <summary>A whole interview: answers until the scorecard is posted.</summary>
    private async Task InterviewAsync(string candidate)
    {
        await Service<InterviewService>().StartAsync(candidate, new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2), 7, default);
        for (var answers = 0; !ActionsFor(candidate).OfType<PostScorecard>().Any(); answers++)
        {
            Assert.True(answers < 10, $"{candidate}'s interview did not finish after {answers} answers");
            await AnswerAsync(candidate);
        }
    }

    /// <summary>One answer, judged by the worker from the Redis queue; returns the feedback it posted.</summary>
    private async Task<Feedback> AnswerAsync(string candidate)
    {
        var before = FeedbackOf(candidate).Count();
        await Service<InterviewService>().HandleAsync(candidate, new AnswerSubmitted(Answer), default);
        var worker = Service<JudgingWorker>();
        await Poll.UntilAsync(
            async () =>
            {
                await worker.RunOnceAsync("e2e-worker", 16, default);
                return FeedbackOf(candidate).Count() > before;
            },
            $"the feedback on {candidate}'s answer");
        return FeedbackOf(candidate).Last();
    }

    private IEnumerable<InterviewAction> ActionsFor(string candidate) =>
        _output.Delivered.Where(d => d.Candidate == candidate).SelectMany(d => d.Actions);

    private IEnumerable<Feedback> FeedbackOf(string candidate) => ActionsFor(candidate).OfType<PostFeedback>().Select(f => f.Feedback);

    private int PostCount()
    {
        lock (_admins.Posts)
            return _admins.Posts.Count;
    }

    private async Task<string> CliReportAsync(bool json)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await MockingbirdCli.PrintReportAsync(Service<ExperimentReports>(), ExperimentId, json, new CliStreams(new StringReader(string.Empty), output, error), default);
        Assert.Equal(MockingbirdCli.Ok, exit);
        return output.ToString();
    }

    /// <summary>An admin check from the admin channel's server (GuardedExperiment.AdminChannel) unless told otherwise.</summary>
    private static IAdminCheck Manages(bool manages, string place = "discord:guild-1") =>
        Mock.Of<IAdminCheck>(c => c.ManagesAsync(It.IsAny<CancellationToken>()) == Task.FromResult(manages) && c.Place == place);

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
