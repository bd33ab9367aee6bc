using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Chat;
using Mockingbird.Chat.Progress;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Tests.EndToEnd;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.StudyGroups;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Bot;

/// <summary>
/// <c>/mock history</c> on Slack: the chart goes through the three external upload steps into the candidate's direct
/// messages with the bot, and the summary is the command's reply whatever happens to the upload.
/// </summary>
public sealed class SlackProgressChartTests : IAsyncLifetime
{
    private const string BotToken = "xoxb-chart-tests";
    private const string Channel = SlackEvents.Channel;
    private const string Candidate = SlackEvents.Candidate;

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs.";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 8, 7, 6, 5];

    private FakeSlackWebApi _web = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _web = await FakeSlackWebApi.StartAsync(BotToken, "xapp-chart-tests");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = "xapp-chart-tests",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        services.AddSingleton<IProgressChart>(new FixedChart());
        services.AddSlackBot();
        services.AddStudyGroups();
        services.AddInMemoryStudyGroupStore();
        services.AddSingleton<JudgingWorker>();
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _web.DisposeAsync();
    }

    [Fact]
    public async Task History_uploads_the_chart_in_three_steps_to_the_candidates_direct_messages_and_replies_with_the_summary()
    {
        await CompleteOneInterviewAsync();

        await SendAsync(SlackEvents.Command("history"));

        var upload = Assert.Single(_web.Uploads);
        Assert.Equal(Png, upload.Content);
        Assert.Equal("D" + Candidate, upload.Channel);
        Assert.Equal(("progress.png", "Your progress over 1 interview", "Scores per stage, newest last."), (upload.FileName, upload.Title, upload.AltText));
        var steps = _web.RequestLog.Select(r => r.Method).Where(m => m is "conversations.open" or "files.getUploadURLExternal" or "upload_url" or "files.completeUploadExternal").ToList();
        Assert.Equal(["conversations.open", "files.getUploadURLExternal", "upload_url", "files.completeUploadExternal"], steps[^4..]);
        Assert.Null(_web.RequestLog.Single(r => r.Method == "upload_url").Authorization);
        var reply = Reply();
        Assert.Contains(SlackSurface.ImageInDirectMessages, reply, StringComparison.Ordinal);
        Assert.Contains("Your last 1 interview(s):", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_upload_step_is_said_plainly_and_the_summary_still_arrives()
    {
        await CompleteOneInterviewAsync();
        _web.RefuseNext("files.getUploadURLExternal", "file_uploads_disabled");

        await SendAsync(SlackEvents.Command("history"));

        Assert.Empty(_web.Uploads);
        Assert.DoesNotContain(_web.RequestLog, r => r.Method is "upload_url" or "files.completeUploadExternal");
        var reply = Reply();
        Assert.Contains("I couldn't upload the chart (Slack said `file_uploads_disabled` to files.getUploadURLExternal)", reply, StringComparison.Ordinal);
        Assert.Contains("Your last 1 interview(s):", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_completion_is_said_plainly_and_the_summary_still_arrives()
    {
        await CompleteOneInterviewAsync();
        _web.RefuseNext("files.completeUploadExternal", "not_in_channel");

        await SendAsync(SlackEvents.Command("history"));

        Assert.Empty(_web.Uploads);
        Assert.Contains("Slack said `not_in_channel` to files.completeUploadExternal", Reply(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_history_is_a_text_reply_with_no_upload()
    {
        await SendAsync(SlackEvents.Command("history"));

        Assert.DoesNotContain(_web.RequestLog, r => r.Method.StartsWith("files.", StringComparison.Ordinal));
        Assert.Contains(ProgressSummary.NoHistory, Reply(), StringComparison.Ordinal);
    }

    private string Reply() =>
        Assert.Single(_web.Ephemerals, e => e.User == Candidate && (e.Text ?? string.Empty) is var text
            && (text.Contains("Your last", StringComparison.Ordinal) || text.Contains(ProgressSummary.NoHistory, StringComparison.Ordinal))).Text!;

    private async Task CompleteOneInterviewAsync()
    {
        await SendAsync(SlackEvents.Command("start system-design 1"));
        var parent = Assert.Single(_web.Messages(Channel), m => m.ThreadTs is null).Ts;
        await SendAsync(SlackEvents.Reply(Channel, parent, Candidate, Answer), "events_api");
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }

        await SendAsync(SlackEvents.Command("end"));
    }

    private async Task SendAsync(System.Text.Json.Nodes.JsonObject payload, string type = "slash_commands")
    {
        var handler = _services.GetRequiredService<ISlackEnvelopeHandler>();
        var receipt = await handler.ReceiveAsync(new SlackEnvelope(SlackEvents.NextId("env-"), type, JsonSerializer.SerializeToElement(payload), false, null, null), default);
        Assert.Equal(SlackReceiptOutcome.Accepted, receipt.Outcome);
        if (receipt.Then is { } then)
        {
            await then(default);
        }

        Assert.Empty(_web.Violations);
    }

    /// <summary>The drawing is the chart project's to test; here only its bytes and words travel.</summary>
    private sealed class FixedChart : IProgressChart
    {
        public ChatImage Render(ProgressSeries progress) =>
            new("progress.png", Png, $"Your progress over {progress.Interviews} interview{(progress.Interviews == 1 ? string.Empty : "s")}", "Scores per stage, newest last.");
    }
}
