using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Progress;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Discord.Tests.Bot;

/// <summary>
/// <c>/mock history</c> on Discord: the summary replaces the deferred ephemeral reply, then the chart follows as an
/// ephemeral follow-up uploaded as <c>multipart/form-data</c>, checked by the fake Discord against the published
/// schema and the rules of "Uploading Files".
/// </summary>
public sealed class DiscordProgressChartTests : IAsyncLifetime
{
    private const string Token = "bot-token-for-chart-tests";
    private const string Candidate = DiscordEvents.Candidate;

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs.";

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
    private FakeDiscordApi _api = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId, _clock);
        _services = DiscordBotServices.Build(_api, Token, _clock, services => services.AddSingleton<IProgressChart>(new FixedChart()));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _api.DisposeAsync();
    }

    private DiscordInterviewBot Bot => _services.GetRequiredService<DiscordInterviewBot>();

    [Fact]
    public async Task History_replies_with_the_summary_then_uploads_the_chart_as_an_ephemeral_multipart_follow_up()
    {
        await CompleteOneInterviewAsync();
        var history = DiscordEvents.Command("history");

        var reply = await CompleteAsync(history);

        Assert.Contains("Your last 1 interview(s):", reply, StringComparison.Ordinal);
        var followup = Assert.Single(_api.Followups, f => f.Token == history.Token);
        var file = Assert.Single(followup.Files);
        Assert.Equal(("0", "progress.png", "image/png"), (file.Id, file.FileName, file.ContentType));
        Assert.Equal(Png, file.Content);
        Assert.Equal(64, followup.Body["flags"]!.GetValue<int>());
        Assert.Equal("Your progress over 1 interview", followup.Body["content"]!.GetValue<string>());
        Assert.Empty(followup.Body["allowed_mentions"]!["parse"]!.AsArray());
        var attachment = Assert.Single(followup.Body["attachments"]!.AsArray())!;
        Assert.Equal(("0", "progress.png", "Scores per stage, newest last."), (attachment["id"]!.GetValue<string>(), attachment["filename"]!.GetValue<string>(), attachment["description"]!.GetValue<string>()));

        // The chart comes after the reply text: sent before it, it would replace the loading message.
        var log = _api.RequestLog.Select(r => r.Route).ToList();
        Assert.True(log.LastIndexOf("PATCH /webhooks/{application}/{token}/messages/@original") < log.LastIndexOf("POST /webhooks/{application}/{token}"));
    }

    [Fact]
    public async Task No_history_is_a_text_reply_with_no_upload()
    {
        var history = DiscordEvents.Command("history");

        var reply = await CompleteAsync(history);

        Assert.Equal(ProgressSummary.NoHistory, reply);
        Assert.DoesNotContain(_api.Followups, f => f.Token == history.Token);
    }

    [Fact]
    public async Task A_refused_upload_is_told_in_text_after_the_summary()
    {
        await CompleteOneInterviewAsync();
        _api.FailNext(1, 413, when: r => r.ContentType?.StartsWith("multipart/form-data", StringComparison.Ordinal) == true, code: 40005, message: "Request entity too large");
        var history = DiscordEvents.Command("history");

        var reply = await CompleteAsync(history);

        Assert.Contains("Your last 1 interview(s):", reply, StringComparison.Ordinal);
        var followup = Assert.Single(_api.Followups, f => f.Token == history.Token);
        Assert.Equal(DiscordInterviewBot.ImageRefused, followup.Body["content"]!.GetValue<string>());
        Assert.Empty(followup.Files);
    }

    [Fact]
    public async Task The_fake_refuses_an_upload_whose_attachments_do_not_match_its_file_parts()
    {
        var interaction = DiscordEvents.Command("history");
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel, answeredInline: true);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.UserAgent.ParseAdd("DiscordBot (https://example.invalid, 1.0)");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("""{"content":"chart","allowed_mentions":{"parse":[]},"flags":64,"attachments":[{"id":"1","filename":"progress.png"}]}""", System.Text.Encoding.UTF8, "application/json"), "payload_json");
        form.Add(new ByteArrayContent(Png), "files[0]", "progress.png");

        using var answer = await http.PostAsync(new Uri(_api.ApiBaseUrl, $"webhooks/{DiscordEvents.ApplicationId}/{interaction.Token}"), form);

        Assert.Equal(400, (int)answer.StatusCode);
        Assert.Contains(_api.Violations, v => v.Contains("no files[1] part carries", StringComparison.Ordinal));
        Assert.Contains(_api.Violations, v => v.Contains("files[0] has no entry in attachments", StringComparison.Ordinal));
    }

    private async Task CompleteOneInterviewAsync()
    {
        await CompleteAsync(DiscordEvents.Start("system-design", 1));
        var thread = _api.Threads[^1].Id;
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(_api.WriteMessage(thread, Candidate, Answer)), default);
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }

        await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:end"));
    }

    private async Task<string> CompleteAsync(FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel, answeredInline: true);
        await Bot.CompleteAsync(interaction.Parsed, default);
        Assert.Empty(_api.Violations);
        return _api.OriginalEdits.Last(e => e.Token == interaction.Token).Body["content"]!.GetValue<string>();
    }

    /// <summary>The drawing is the chart project's to test; here only its bytes and words travel.</summary>
    private sealed class FixedChart : IProgressChart
    {
        public ChatImage Render(ProgressSeries progress) =>
            new("progress.png", Png, $"Your progress over {progress.Interviews} interview{(progress.Interviews == 1 ? string.Empty : "s")}", "Scores per stage, newest last.");
    }
}
