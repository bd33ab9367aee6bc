namespace Mockingbird.Chat.Tests.Experiments;

/// <summary>The privacy, link and admin words typed as text, as Slack sends them.</summary>
public sealed class ExperimentCommandParsingTests
{
    public static TheoryData<string, ChatCommand> Understood() => new()
    {
        { "privacy", new ChatCommand.Privacy(null) },
        { "privacy experiments off", new ChatCommand.Privacy(false) },
        { "Privacy Experiments ON", new ChatCommand.Privacy(true) },
        { "progress", new ChatCommand.Progress() },
        { "dashboard", new ChatCommand.Dashboard() },
        { "admin experiments list", new ChatCommand.ListExperiments() },
        { "admin experiments report judge-2026-12", new ChatCommand.ReportExperiment("judge-2026-12") },
        { "admin experiments stop judge-2026-12", new ChatCommand.StopArm("judge-2026-12", null) },
        { "admin  experiments  STOP judge-2026-12 v2", new ChatCommand.StopArm("judge-2026-12", "v2") },
    };

    [Theory]
    [MemberData(nameof(Understood))]
    public void Each_typed_privacy_link_and_admin_command_is_recognised(string text, ChatCommand expected)
    {
        Assert.Equal(expected, ChatCommand.ParseText(text));
    }

    [Theory]
    [InlineData("privacy experiments", "Say on or off")]
    [InlineData("privacy experiments maybe", "`maybe` is not a choice for experiments")]
    [InlineData("privacy cookies off", "`cookies` is not something privacy acts on")]
    [InlineData("admin", "Say what to do: admin experiments list | report ID | stop ID [ARM]")]
    [InlineData("admin experiments", "Say what to do")]
    [InlineData("admin experiments delete x", "`delete` is not an experiments action")]
    [InlineData("admin experiments report", "Say which experiment")]
    [InlineData("admin experiments stop", "Say which experiment")]
    [InlineData("admin experiments list x", "takes nothing after it")]
    [InlineData("admin experiments report x v2", "Say which experiment")]
    [InlineData("admin experiments stop x v2 now", "Too many words")]
    [InlineData("admin users list", "`users` is not something admin acts on")]
    [InlineData("progress please", "takes nothing after it")]
    public void Typed_privacy_and_admin_commands_that_cannot_run_say_why(string text, string expected)
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText(text));

        Assert.Contains(expected, unknown.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_shows_what_privacy_and_admin_take()
    {
        var usage = ChatCommand.Usage("/mock");

        Assert.Contains("/mock privacy [experiments on|off]: ", usage, StringComparison.Ordinal);
        Assert.Contains("/mock admin experiments list | report ID | stop ID [ARM]: ", usage, StringComparison.Ordinal);
        Assert.Contains("/mock dashboard: ", usage, StringComparison.Ordinal);
        Assert.Contains("/mock progress: ", usage, StringComparison.Ordinal);
    }
}
