using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Web;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Tests.Gateway;
using Mockingbird.Discord.Wire;
using Mockingbird.Experiments;
using Mockingbird.Host.Bot;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Discord.Tests.EndToEnd;

/// <summary>
/// Privacy, the page links and the admin experiment commands through the bot as the host composes it, against the
/// fake Discord: whether someone is an admin comes from the member's permissions in the interaction, and every reply
/// is ephemeral.
/// </summary>
public sealed class DiscordExperimentCommandsEndToEndTests : IAsyncLifetime, IDisposable
{
    private const string Token = "MTEwMDAw.experiments.bot-token-that-must-never-be-logged";
    private const string Admin = DiscordEvents.Candidate;
    private const string Member = DiscordEvents.Bystander;
    private const string Experiment = "judge-2026-12";

    private readonly RecordingLoggerProvider _logs = new();
    private readonly Mock<IDashboardLinks> _links = new();
    private FakeDiscordApi _api = null!;
    private FakeGateway _gateway = null!;
    private WebApplication _bot = null!;

    public async Task InitializeAsync()
    {
        _links.SetupGet(l => l.Enabled).Returns(true);
        _links.SetupGet(l => l.ProgressLifetime).Returns(TimeSpan.FromHours(12));
        _links.SetupGet(l => l.DashboardLifetime).Returns(TimeSpan.FromHours(12));
        _links.Setup(l => l.ForDashboard(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/dashboard?for={id}"));
        _links.Setup(l => l.ForProgress(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/progress?for={id}"));
        var catalog = new Mock<IExperimentCatalog>();
        catalog.SetupGet(c => c.Designs).Returns(
        [
            new ExperimentDesign(Experiment, "judge-design", "v1", [new ExperimentArm("v1", 1), new ExperimentArm("v2", 1)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails()),
        ]);

        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId);
        _gateway = await FakeGateway.StartAsync(Token, TimeSpan.FromSeconds(41));
        _api.GatewayUrl = _gateway.Url.ToString();
        _bot = await BotHost.BuildAsync(BotPlatform.Discord, new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Discord:BotToken"] = Token,
            ["Discord:ApplicationId"] = DiscordEvents.ApplicationId,
            ["Discord:ApiBaseUrl"] = _api.ApiBaseUrl.ToString(),
            ["Discord:DevelopmentGuildIds:0"] = DiscordEvents.Guild,
            ["Discord:InteractionsEndpoint"] = "false",
            ["Experiments:AdminPlaces:0"] = $"discord:{DiscordEvents.Guild}",
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }, builder =>
        {
            builder.Services.AddSingleton(_links.Object);
            builder.Services.AddSingleton(sp => new ExperimentReports(catalog.Object, sp.GetRequiredService<IExperimentStore>(), new Dictionary<string, ModelPrice>(), sp.GetRequiredService<TimeProvider>()));
            builder.Logging.AddProvider(_logs);
        });
        await _bot.StartAsync();
        await _gateway.WaitForSessionsAsync(1, TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await _bot.StopAsync();
        await _bot.DisposeAsync();
        await _gateway.DisposeAsync();
        await _api.DisposeAsync();
        _logs.Dispose();
    }

    public void Dispose() => _logs.Dispose();

    private IExperimentStore Store => _bot.Services.GetRequiredService<IExperimentStore>();

    [Fact]
    public async Task A_member_without_manage_server_is_refused_admin_commands_and_an_admin_stops_the_challenger()
    {
        var stop = new JsonArray(
            new JsonObject { ["name"] = "action", ["type"] = 3, ["value"] = "stop" },
            new JsonObject { ["name"] = "experiment", ["type"] = 3, ["value"] = Experiment });

        var refused = await CommandAsync(AdminExperiments(Member, DiscordEvents.MemberPermissions, stop.DeepClone().AsArray()));
        var dashboardRefused = await CommandAsync(WithPermissions(DiscordEvents.Command("dashboard", Member), DiscordEvents.MemberPermissions));
        Assert.Equal(ExperimentCommands.NotAnAdmin, refused);
        Assert.Equal(ExperimentCommands.NotAnAdmin, dashboardRefused);
        Assert.Empty((await Store.ControlAsync(default)).Stops);

        var stopped = await CommandAsync(AdminExperiments(Admin, DiscordEvents.ModeratorPermissions, stop));

        Assert.Contains($"Stopped arm `v2` of `{Experiment}`", stopped, StringComparison.Ordinal);
        var recorded = Assert.Single((await Store.ControlAsync(default)).Stops);
        Assert.Equal((Experiment, "v2", ArmStop.Admin), (recorded.ExperimentId, recorded.Version, recorded.By));
        var report = await CommandAsync(AdminExperiments(Admin, DiscordEvents.ModeratorPermissions, [new JsonObject { ["name"] = "action", ["type"] = 3, ["value"] = "report" }, new JsonObject { ["name"] = "experiment", ["type"] = 3, ["value"] = Experiment }]));
        Assert.Contains($"by {ArmStop.Admin}: {ExperimentCommands.StoppedFromChat}", report, StringComparison.Ordinal);
        Assert.DoesNotContain(Admin, report, StringComparison.Ordinal);
        AssertEveryReplyWasPrivate();
    }

    [Fact]
    public async Task Privacy_off_opts_the_member_out_and_the_links_are_sent_privately_with_no_preview_for_which_discord_would_fetch_the_page()
    {
        var off = await CommandAsync(DiscordEvents.Command("privacy", Member, options: [new JsonObject { ["name"] = "experiments", ["type"] = 3, ["value"] = "off" }]));
        var progress = await CommandAsync(DiscordEvents.Command("progress", Member));
        var dashboard = await CommandAsync(WithPermissions(DiscordEvents.Command("dashboard", Admin), DiscordEvents.ModeratorPermissions));

        Assert.StartsWith("You are out of prompt experiments for good", off, StringComparison.Ordinal);
        Assert.True((await Store.ControlAsync(default)).IsOptedOut($"discord:{Member}"));
        Assert.EndsWith($"It works for 12 hours:\nhttps://bot.example/progress?for=discord:{Member}", progress, StringComparison.Ordinal);
        Assert.EndsWith($"It works for 12 hours:\nhttps://bot.example/dashboard?for=discord:{Admin}", dashboard, StringComparison.Ordinal);
        AssertEveryReplyWasPrivate();
        Assert.Equal(3, _api.OriginalEdits.Count);
        Assert.All(_api.OriginalEdits, e => Assert.Equal(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds, e.Body["flags"]!.GetValue<int>()));
        Assert.DoesNotContain(_logs.Entries, l => l.Contains("bot.example", StringComparison.Ordinal));
    }

    private static FakeInteraction AdminExperiments(string user, string permissions, JsonArray options)
    {
        var interaction = WithPermissions(DiscordEvents.Command("ignored", user), permissions);
        interaction.Body["data"]!["options"] = new JsonArray(new JsonObject
        {
            ["name"] = "admin",
            ["type"] = 2,
            ["options"] = new JsonArray(new JsonObject { ["name"] = "experiments", ["type"] = 1, ["options"] = options }),
        });
        return interaction;
    }

    private static FakeInteraction WithPermissions(FakeInteraction interaction, string permissions)
    {
        interaction.Body["member"]!["permissions"] = permissions;
        return interaction;
    }

    /// <summary>Sends an interaction over the gateway and returns the reply it completes with.</summary>
    private async Task<string> CommandAsync(FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel);
        await _gateway.DispatchAsync("INTERACTION_CREATE", interaction.Body);
        var edit = await Poll.ForAsync(() => _api.OriginalEdits.FirstOrDefault(e => e.Token == interaction.Token), $"the reply to interaction {interaction.Id}");
        return edit.Body["content"]!.GetValue<string>();
    }

    /// <summary>Each reply replaced a deferred response that only its sender sees, and nothing was posted in the channel.</summary>
    private void AssertEveryReplyWasPrivate()
    {
        Assert.NotEmpty(_api.Callbacks);
        Assert.All(_api.Callbacks, c => Assert.Equal((5, 64), (c.Body["type"]!.GetValue<int>(), c.Body["data"]!["flags"]!.GetValue<int>())));
        Assert.Empty(_api.AllMessages);
        Assert.Empty(_api.Violations);
    }
}
