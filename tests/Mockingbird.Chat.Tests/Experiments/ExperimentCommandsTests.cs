using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Experiments;
using Mockingbird.Chat.Web;
using Mockingbird.Experiments;
using Moq;

namespace Mockingbird.Chat.Tests.Experiments;

/// <summary>Privacy, the web links and the admin commands, against the in-memory experiment store and a fake clock.</summary>
public sealed class ExperimentCommandsTests
{
    private const string Person = "chat:person";
    private const string Usage = "/mock";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryExperimentStore _store = new();
    private readonly Mock<IDashboardLinks> _links = new();
    private readonly ExperimentCommands _commands;

    public ExperimentCommandsTests()
    {
        _links.SetupGet(l => l.Enabled).Returns(true);
        _links.SetupGet(l => l.ProgressLifetime).Returns(TimeSpan.FromHours(24));
        _links.SetupGet(l => l.DashboardLifetime).Returns(TimeSpan.FromHours(1));
        _links.Setup(l => l.ForDashboard(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/dashboard?for={id}"));
        _links.Setup(l => l.ForProgress(It.IsAny<string>())).Returns((string id) => new Uri($"https://bot.example/progress?for={id}"));
        _commands = new ExperimentCommands(_store, _links.Object, _time, Reports(_store, _time), new ExperimentAdminPlaces(new HashSet<string> { Place }));
    }

    internal static ExperimentDesign Design(string id, params string[] versions) => new(
        id,
        "judge-design",
        versions[0],
        [.. versions.Select(v => new ExperimentArm(v, 1))],
        PrimaryMetric.HelpfulShare,
        SmallestDifference: 0.1,
        Alpha: 0.05,
        new Guardrails());

    internal static ExperimentReports Reports(IExperimentStore store, TimeProvider time)
    {
        var catalog = new Mock<IExperimentCatalog>();
        catalog.SetupGet(c => c.Designs).Returns([Design("judge-2026-12", "v1", "v2"), Design("three-way", "v1", "v2", "v3")]);
        return new ExperimentReports(catalog.Object, store, new Dictionary<string, ModelPrice>(), time);
    }

    private const string Place = "discord:guild-1";

    private static ChatRequest Request(bool? manages = null, string place = Place)
    {
        if (manages is not { } answer)
        {
            return new ChatRequest(Person, "event-1", 1);
        }

        var check = new Mock<IAdminCheck>();
        check.Setup(c => c.ManagesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(answer);
        check.SetupGet(c => c.Place).Returns(place);
        return new ChatRequest(Person, "event-1", 1, check.Object);
    }

    private Task<string> RunAsync(ChatCommand command, bool? manages = null) => _commands.RunAsync(Request(manages), command, Usage, default);

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task The_admin_of_a_server_the_operator_did_not_name_is_refused_without_being_asked_about(ChatCommand command)
    {
        var check = new Mock<IAdminCheck>();
        check.SetupGet(c => c.Place).Returns("discord:a-server-of-their-own");
        check.Setup(c => c.ManagesAsync(It.IsAny<CancellationToken>())).ReturnsAsync(true);

        var reply = await _commands.RunAsync(new ChatRequest(Person, "event-1", 1, check.Object), command, Usage, default);

        Assert.Equal(ExperimentCommands.NotAnAdmin, reply);
        check.Verify(c => c.ManagesAsync(It.IsAny<CancellationToken>()), Times.Never);
        Assert.Empty((await _store.ControlAsync(default)).Stops);
    }

    [Fact]
    public async Task Without_named_places_no_admin_anywhere_may_run_the_experiment_commands()
    {
        var commands = new ExperimentCommands(_store, _links.Object, _time, Reports(_store, _time));

        var reply = await commands.RunAsync(Request(manages: true), new ChatCommand.ListExperiments(), Usage, default);

        Assert.Equal(ExperimentCommands.NotAnAdmin, reply);
    }

    public static TheoryData<ChatCommand> AdminCommands() =>
    [
        new ChatCommand.ListExperiments(),
        new ChatCommand.ReportExperiment("judge-2026-12"),
        new ChatCommand.ReportExperiment("no-such-experiment"),
        new ChatCommand.StopArm("judge-2026-12", null),
        new ChatCommand.Dashboard(),
    ];

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task Someone_who_does_not_manage_the_server_is_refused_every_admin_command_without_a_word_about_experiments(ChatCommand command)
    {
        Assert.Equal(ExperimentCommands.NotAnAdmin, await RunAsync(command, manages: false));
        Assert.Equal(ExperimentCommands.NotAnAdmin, await RunAsync(command, manages: null));

        Assert.Empty((await _store.ControlAsync(default)).Stops);
        _links.Verify(l => l.ForDashboard(It.IsAny<string>()), Times.Never);
    }

    [Fact]
    public async Task An_admin_stopping_a_two_arm_experiment_without_naming_an_arm_stops_the_challenger_and_keeps_no_id_of_theirs()
    {
        var reply = await RunAsync(new ChatCommand.StopArm("judge-2026-12", null), manages: true);

        var stop = Assert.Single((await _store.ControlAsync(default)).Stops);
        Assert.Equal(new ArmStop("judge-2026-12", "v2", ExperimentCommands.StoppedFromChat, ArmStop.Admin, _time.GetUtcNow()), stop);
        Assert.DoesNotContain(Person, reply, StringComparison.Ordinal);
        Assert.Contains("Stopped arm `v2` of `judge-2026-12`", reply, StringComparison.Ordinal);
        Assert.Contains("baseline `v1`", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_stop_of_the_same_arm_says_when_and_by_whom_it_was_stopped_and_changes_nothing()
    {
        await RunAsync(new ChatCommand.StopArm("judge-2026-12", "v2"), manages: true);
        _time.Advance(TimeSpan.FromHours(1));

        var reply = await RunAsync(new ChatCommand.StopArm("judge-2026-12", "v2"), manages: true);

        Assert.Contains("was stopped already, at 2026-12-03 09:00 UTC by an admin", reply, StringComparison.Ordinal);
        Assert.Single((await _store.ControlAsync(default)).Stops);
    }

    [Theory]
    [InlineData("judge-2026-12", "v1", "`v1` is the baseline of `judge-2026-12`")]
    [InlineData("judge-2026-12", "v9", "has no arm `v9`; its arms are v1 (baseline), v2.")]
    [InlineData("three-way", null, "say which: v2, v3.")]
    [InlineData("nope", "v2", "There is no experiment `nope`. The experiments are `judge-2026-12`, `three-way`.")]
    public async Task A_stop_that_cannot_be_made_says_why_and_stops_nothing(string experiment, string? arm, string expected)
    {
        var reply = await RunAsync(new ChatCommand.StopArm(experiment, arm), manages: true);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Empty((await _store.ControlAsync(default)).Stops);
    }

    [Fact]
    public async Task An_admin_lists_the_experiments_and_reads_one_report_with_its_stop()
    {
        await RunAsync(new ChatCommand.StopArm("three-way", "v3"), manages: true);

        var list = await RunAsync(new ChatCommand.ListExperiments(), manages: true);
        var report = await RunAsync(new ChatCommand.ReportExperiment("three-way"), manages: true);
        var unknown = await RunAsync(new ChatCommand.ReportExperiment("nope"), manages: true);

        Assert.Contains("judge-2026-12 — judge-design", list, StringComparison.Ordinal);
        Assert.Contains("three-way — judge-design", list, StringComparison.Ordinal);
        Assert.StartsWith("Experiment three-way on prompt judge-design, baseline v1", report, StringComparison.Ordinal);
        Assert.Contains($"by {ArmStop.Admin}: {ExperimentCommands.StoppedFromChat}", report, StringComparison.Ordinal);
        Assert.DoesNotContain(Person, report, StringComparison.Ordinal);
        Assert.Contains("The experiments are `judge-2026-12`, `three-way`.", unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_that_declares_no_experiments_says_so_to_an_admin()
    {
        var commands = new ExperimentCommands(_store, _links.Object, _time, adminPlaces: new ExperimentAdminPlaces(new HashSet<string> { Place }));

        Assert.Contains("No experiments are running", await commands.RunAsync(Request(manages: true), new ChatCommand.ListExperiments(), Usage, default), StringComparison.Ordinal);
        Assert.Contains("declares none", await commands.RunAsync(Request(manages: true), new ChatCommand.StopArm("x", null), Usage, default), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_experiments_off_puts_the_person_in_the_baseline_for_good_and_on_takes_them_back()
    {
        var before = await RunAsync(new ChatCommand.Privacy(null));
        var off = await RunAsync(new ChatCommand.Privacy(false));
        var optedOut = (await _store.ControlAsync(default)).IsOptedOut(Person);
        var shown = await RunAsync(new ChatCommand.Privacy(null));
        var again = await RunAsync(new ChatCommand.Privacy(false));
        var on = await RunAsync(new ChatCommand.Privacy(true));

        Assert.StartsWith("Prompt experiments: you take part.", before, StringComparison.Ordinal);
        Assert.Contains("What is recorded while you take part", before, StringComparison.Ordinal);
        Assert.Contains("`/mock forget-me`", before, StringComparison.Ordinal);
        Assert.True(optedOut);
        Assert.StartsWith("You are out of prompt experiments for good", off, StringComparison.Ordinal);
        Assert.StartsWith("Prompt experiments: you are out.", shown, StringComparison.Ordinal);
        Assert.Equal("You were out of prompt experiments already; nothing changed.", again);
        Assert.StartsWith("You take part in prompt experiments again", on, StringComparison.Ordinal);
        Assert.False((await _store.ControlAsync(default)).IsOptedOut(Person));
    }

    [Fact]
    public async Task Dashboard_and_progress_reply_with_a_link_made_for_the_person_and_how_long_it_works()
    {
        var dashboard = await RunAsync(new ChatCommand.Dashboard(), manages: true);
        var progress = await RunAsync(new ChatCommand.Progress());

        Assert.Contains("the experiments page", dashboard, StringComparison.Ordinal);
        Assert.EndsWith($"It works for 1 hour:\nhttps://bot.example/dashboard?for={Person}", dashboard, StringComparison.Ordinal);
        Assert.EndsWith($"It works for 24 hours:\nhttps://bot.example/progress?for={Person}", progress, StringComparison.Ordinal);
        _links.Verify(l => l.ForProgress(Person), Times.Once);
        _links.Verify(l => l.ForDashboard(Person), Times.Once);
    }

    [Fact]
    public async Task With_the_web_page_off_the_links_say_so_and_how_an_operator_turns_it_on()
    {
        var commands = new ExperimentCommands(_store, new NoDashboardLinks(), _time, adminPlaces: new ExperimentAdminPlaces(new HashSet<string> { Place }));

        var progress = await commands.RunAsync(Request(), new ChatCommand.Progress(), Usage, default);
        var dashboard = await commands.RunAsync(Request(manages: true), new ChatCommand.Dashboard(), Usage, default);

        Assert.All([progress, dashboard], reply => Assert.Contains("The web page is off", reply, StringComparison.Ordinal));
        Assert.All([progress, dashboard], reply => Assert.Contains("`Web__Enabled=true`", reply, StringComparison.Ordinal));
    }
}
