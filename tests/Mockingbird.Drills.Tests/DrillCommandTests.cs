using Mockingbird.Chat;
using Mockingbird.Testing;

namespace Mockingbird.Drills.Tests;

public sealed class DrillCommandTests
{
    [Theory]
    [InlineData("drills", null, null)]
    [InlineData("drills on", true, null)]
    [InlineData("drills ON Europe/Berlin", true, "Europe/Berlin")]
    [InlineData("drills off", false, null)]
    public void Drills_typed_as_text_parse_to_a_choice_and_a_time_zone(string text, bool? on, string? zone)
    {
        Assert.Equal(new ChatCommand.Drills(on, zone), ChatCommand.ParseText(text));
    }

    [Theory]
    [InlineData("drills on Mars/Olympus", "`Mars/Olympus` is not a time zone I know: give an IANA name such as Europe/Berlin")]
    [InlineData("drills maybe", "`maybe` is not a choice for drills: say on or off.")]
    [InlineData("drills off Europe/Berlin", "`drills off` takes nothing after it")]
    [InlineData("drills on Europe/Berlin extra", "Too many words: drills [on [TIMEZONE] | off].")]
    public void Bad_drills_input_is_refused_naming_what_is_accepted(string text, string problem)
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(ChatCommand.ParseText(text));

        Assert.StartsWith(problem, unknown.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Drills_are_listed_in_the_usage_with_their_arguments()
    {
        Assert.Contains("/mock drills [on [TIMEZONE] | off]: practice questions by direct message", ChatCommand.Usage("/mock"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drills_show_off_until_turned_on_then_the_next_drill_in_the_candidates_own_time()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.Zero, ("depth", 1.5));

        var before = await world.RunAsync("c-1", "drills");
        var on = await world.RunAsync("c-1", "drills on Asia/Kolkata");
        var shown = await world.RunAsync("c-1", "drills");

        Assert.StartsWith("Drills are off.", before, StringComparison.Ordinal);
        Assert.Contains("Time zone Asia/Kolkata", on, StringComparison.Ordinal);
        // Due 12:00 UTC on Tuesday 24 November, which is 17:30 in Kolkata.
        Assert.Contains("Next drill: Tue 24 Nov 17:30, on depth.", shown, StringComparison.Ordinal);
        Assert.Contains("Drilling: depth (every 1 day).", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drills_on_again_keeps_the_time_zone_set_before()
    {
        var world = new DrillWorld();
        await world.RunAsync("c-1", "drills on Europe/Berlin");
        await world.RunAsync("c-1", "drills off");

        var on = await world.RunAsync("c-1", "drills on");

        Assert.Contains("Time zone Europe/Berlin", on, StringComparison.Ordinal);
        Assert.Contains("Nothing to drill yet", on, StringComparison.Ordinal);
        Assert.Equal("Drills were off already; nothing changed.", await world.RunAsync("c-2", "drills off"));
    }

    [Fact]
    public async Task Without_a_platform_that_sends_drills_nobody_is_signed_up_for_drills_that_would_never_come()
    {
        var world = new DrillWorld();
        var commands = new DrillCommands(world.Plans, world.Time);

        var reply = await commands.RunAsync(new ChatRequest("c-1", "e-1", 1), new ChatCommand.Drills(true, null), "/mock", default);

        Assert.Equal(DrillCommands.NotAvailable, reply);
        Assert.Null(await world.Store.FindAsync("c-1", default));
    }

    [Fact]
    public async Task Forget_me_removes_the_candidates_drill_settings_schedule_and_answers()
    {
        var world = new DrillWorld();
        world.Interviewed("c-1", TimeSpan.Zero, ("depth", 1.5));
        await world.RunAsync("c-1", "drills on");
        var memory = new DrillMemory(world.Store);

        Assert.Equal(1, await memory.ForgetAsync("c-1", default));

        Assert.Null(await world.Store.FindAsync("c-1", default));
        Assert.Null(await world.Store.NextDueAsync(default));
        Assert.Equal(0, await memory.ForgetAsync("c-1", default));
    }
}
