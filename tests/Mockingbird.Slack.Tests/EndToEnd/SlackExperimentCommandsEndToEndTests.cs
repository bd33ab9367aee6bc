using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Mockingbird.Host.Bot;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Tests.SocketMode;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Slack.Tests.EndToEnd;

/// <summary>
/// Privacy, the page links and the admin experiment commands typed as <c>/mock …</c> through the bot as the host
/// composes it, against the fake Slack over Socket Mode: whether someone is a workspace admin comes from
/// <c>users.info</c>, and every reply is an ephemeral message for its sender.
/// </summary>
public sealed class SlackExperimentCommandsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string BotToken = "xoxb-experiments-end-to-end";
    private const string AppToken = "xapp-experiments-end-to-end";
    private const string Admin = "U0ADMIN";
    private const string Owner = "U0OWNER";
    private const string Member = "U0MEMBER";
    private const string Experiment = "judge-2026-12";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly Mock<IDashboardLinks> _links = new();
    private FakeSlackWebApi _web = null!;
    private FakeSlackSocket _socket = null!;
    private WebApplication _bot = null!;

    public async Task InitializeAsync()
    {
        _links.SetupGet(l => l.Enabled).Returns(true);
        _links.SetupGet(l => l.ProgressLifetime).Returns(TimeSpan.FromMinutes(30));
        _links.SetupGet(l => l.DashboardLifetime).Returns(TimeSpan.FromMinutes(30));
        _links.Setup(l => l.ForDashboard(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/dashboard?for={id}"));
        _links.Setup(l => l.ForProgress(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/progress?for={id}"));
        var catalog = new Mock<IExperimentCatalog>();
        catalog.SetupGet(c => c.Designs).Returns(
        [
            new ExperimentDesign(Experiment, "judge-design", "v1", [new ExperimentArm("v1", 1), new ExperimentArm("v2", 1), new ExperimentArm("v3", 1)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails()),
        ]);

        _web = await FakeSlackWebApi.StartAsync(BotToken, AppToken);
        // The bot runs on the real clock here, and so does Slack's ack deadline it has to meet.
        _socket = await FakeSlackSocket.StartAsync(TimeProvider.System);
        _web.SocketUrl = () => _socket.NextConnectionUrl().ToString();
        _web.AddUser(Admin, admin: true);
        _web.AddUser(Owner, owner: true);
        _web.AddUser(Member);
        _web.AddChannel(SlackEvents.Channel, Member, [Admin, Owner, Member]);
        _bot = await BotHost.BuildAsync(BotPlatform.Slack, new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = AppToken,
            ["Slack:Transport"] = "SocketMode",
            ["Experiments:AdminPlaces:0"] = $"slack:{FakeSlackWebApi.TeamId}",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
            ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
        }, builder =>
        {
            builder.Services.AddSingleton(_links.Object);
            builder.Services.AddSingleton(sp => new ExperimentReports(catalog.Object, sp.GetRequiredService<IExperimentStore>(), new Dictionary<string, ModelPrice>(), sp.GetRequiredService<TimeProvider>()));
            builder.Logging.AddProvider(_logs);
        });
        await _bot.StartAsync();
        await _socket.WaitForLiveConnectionsAsync(1, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _socket.DisposeAsync();
        await _web.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    private IExperimentStore Store => _bot.Services.GetRequiredService<IExperimentStore>();

    [Fact]
    public async Task A_member_who_is_not_a_workspace_admin_is_refused_and_an_admin_stops_a_named_arm()
    {
        var refused = await CommandAsync($"admin experiments stop {Experiment} v2", Member);
        var listRefused = await CommandAsync("admin experiments list", Member);
        Assert.Equal(ExperimentCommands.NotAnAdmin, refused);
        Assert.Equal(ExperimentCommands.NotAnAdmin, listRefused);
        Assert.Empty((await Store.ControlAsync(default)).Stops);

        var unnamed = await CommandAsync($"admin experiments stop {Experiment}", Admin);
        var baseline = await CommandAsync($"admin experiments stop {Experiment} v1", Owner);
        var stopped = await CommandAsync($"admin experiments stop {Experiment} v3", Owner);

        Assert.Contains("say which: v2, v3.", unnamed, StringComparison.Ordinal);
        Assert.Contains("is the baseline", baseline, StringComparison.Ordinal);
        Assert.Contains($"Stopped arm `v3` of `{Experiment}`", stopped, StringComparison.Ordinal);
        var recorded = Assert.Single((await Store.ControlAsync(default)).Stops);
        Assert.Equal((Experiment, "v3", ArmStop.Admin), (recorded.ExperimentId, recorded.Version, recorded.By));
        Assert.Contains($"{Experiment} — judge-design: v1, v2, v3 (stopped)", await CommandAsync("admin experiments list", Admin), StringComparison.Ordinal);
        AssertEveryReplyWasPrivate();
    }

    [Fact]
    public async Task Privacy_off_opts_the_member_out_and_the_links_are_sent_to_them_alone()
    {
        var off = await CommandAsync("privacy experiments off", Member);
        var progress = await CommandAsync("progress", Member);
        var dashboardRefused = await CommandAsync("dashboard", Member);
        var dashboard = await CommandAsync("dashboard", Admin);
        var unknown = await CommandAsync("privacy experiments sometimes", Member);

        Assert.StartsWith("You are out of prompt experiments for good", off, StringComparison.Ordinal);
        Assert.True((await Store.ControlAsync(default)).IsOptedOut($"slack:{Member}"));
        Assert.Contains("It works for 30 minutes:", progress, StringComparison.Ordinal);
        Assert.Contains($"bot.example/progress?for=slack:{Member}", progress, StringComparison.Ordinal);
        Assert.Equal(ExperimentCommands.NotAnAdmin, dashboardRefused);
        Assert.Contains($"bot.example/dashboard?for=slack:{Admin}", dashboard, StringComparison.Ordinal);
        Assert.Contains("is not a choice for experiments", unknown, StringComparison.Ordinal);
        AssertEveryReplyWasPrivate();
    }

    /// <summary>Sends a typed <c>/mock</c> command and returns the ephemeral reply its sender gets.</summary>
    private async Task<string> CommandAsync(string text, string user)
    {
        var before = _web.Ephemerals.Count(e => e.User == user);
        await _socket.SendEnvelopeAsync("slash_commands", SlackEvents.Command(text, user), acceptsResponsePayload: true);
        var reply = await Poll.ForAsync(() => _web.Ephemerals.Where(e => e.User == user).Skip(before).FirstOrDefault(), $"the reply to `{text}` for {user}");
        return reply.Text ?? string.Empty;
    }

    private void AssertEveryReplyWasPrivate()
    {
        Assert.NotEmpty(_web.Ephemerals);
        Assert.All(_web.Ephemerals, e => Assert.Equal(SlackEvents.Channel, e.Channel));
        Assert.Empty(_web.AllMessages);
        Assert.Empty(_web.Violations);
    }
}
