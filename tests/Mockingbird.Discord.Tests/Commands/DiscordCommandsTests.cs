using System.Text.Json;
using Mockingbird.Chat;
using Mockingbird.Chat.Ratings;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;

namespace Mockingbird.Discord.Tests.Commands;

public sealed class DiscordCommandsTests
{
    private static InteractionData Data(string json) => JsonSerializer.Deserialize(json, DiscordJson.Default.Interaction)!.Data!;

    private static InteractionData Command(string subcommand, string options = "[]") =>
        Data($$$"""{"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"mock","type":1,"options":[{"name":"{{{subcommand}}}","type":1,"options":{{{options}}}}]}}""");

    [Fact]
    public void Start_with_a_plan_track_level_and_count_becomes_those_interview_options()
    {
        var command = DiscordCommands.Parse(Command("start", """[{"name":"plan","type":3,"value":"system-design"},{"name":"level","type":3,"value":"senior"},{"name":"track","type":3,"value":"mlops"},{"name":"questions","type":4,"value":3}]"""));

        var start = Assert.IsType<ChatCommand.Start>(command);
        Assert.Equal(new InterviewOptions(InterviewPlan.SystemDesign, Level.Senior, Track.Mlops, 3), start.Options);
    }

    [Theory]
    [InlineData("hint", typeof(ChatCommand.Hint))]
    [InlineData("skip", typeof(ChatCommand.Skip))]
    [InlineData("end", typeof(ChatCommand.EndInterview))]
    [InlineData("resume", typeof(ChatCommand.ResumeInterview))]
    [InlineData("history", typeof(ChatCommand.History))]
    [InlineData("forget-me", typeof(ChatCommand.ForgetMe))]
    public void Each_subcommand_is_recognised(string name, Type expected)
    {
        Assert.IsType(expected, DiscordCommands.Parse(Command(name)));
    }

    [Theory]
    [InlineData("""[{"name":"plan","type":3,"value":"astrology"}]""", "Choose a plan")]
    [InlineData("""[{"name":"plan","type":3,"value":"full"},{"name":"questions","type":4,"value":2}]""", "between 4 and 20")]
    [InlineData("""[{"name":"plan","type":3,"value":"theory"},{"name":"level","type":3,"value":"wizard"}]""", "Choose a level")]
    public void A_start_that_cannot_be_planned_says_why(string options, string expected)
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(DiscordCommands.Parse(Command("start", options)));

        Assert.Contains(expected, unknown.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_commands_data_is_not_taken_for_mock()
    {
        Assert.IsType<ChatCommand.Unknown>(DiscordCommands.Parse(Data("""{"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"other","type":1}}""")));
        Assert.IsType<ChatCommand.Unknown>(DiscordCommands.Parse(null));
    }

    [Fact]
    public void The_registered_tree_offers_every_plan_as_a_choice_and_stays_within_discords_limits()
    {
        var mock = Assert.Single(DiscordCommands.Definitions);
        var start = mock.Options!.Single(o => o.Name == "start");
        var plan = start.Options!.Single(o => o.Name == "plan");

        Assert.Equal(Vocabulary.PlanWords, plan.Choices!.Select(c => c.Value));
        Assert.Contains("system-design", plan.Choices!.Select(c => c.Value));
        Assert.All(mock.Options!, o => Assert.Matches("^[-_a-z0-9]{1,32}$", o.Name));
        Assert.All(mock.Options!, o => Assert.InRange(o.Description.Length, 1, 100));
        Assert.All(start.Options!, o => Assert.True((o.Choices?.Count ?? 0) <= 25));
    }

    [Fact]
    public void Rating_ids_round_trip_and_foreign_ids_are_not_ratings()
    {
        Assert.True(ComponentIds.TryParseRate(ComponentIds.Rate("judge-design-2026-12/v2", helpful: false), out var helpful, out var arm));
        Assert.Equal((false, "judge-design-2026-12/v2"), (helpful, arm));
        Assert.True(ComponentIds.TryParseRate(ComponentIds.Rate("offline-rubric", helpful: true), out helpful, out arm));
        Assert.Equal((true, "offline-rubric"), (helpful, arm));
        Assert.False(ComponentIds.TryParseRate("mb:rate:sideways:x", out _, out _));
        Assert.False(ComponentIds.TryParseRate("mb:hint:1:", out _, out _));
        Assert.False(ComponentIds.TryParseRate(null, out _, out _));
    }

    [Fact]
    public void A_rating_button_from_before_buttons_named_their_arm_still_counts_for_an_unknown_arm()
    {
        Assert.True(ComponentIds.TryParseRate("mb:rate:4:down", out var helpful, out var arm));
        Assert.Equal((false, FeedbackArm.Unknown), (helpful, arm));
        Assert.False(ComponentIds.TryParseRate("mb:rate:x4:up", out _, out _));
    }

    [Fact]
    public void The_longest_arm_a_button_carries_fits_in_a_custom_id() =>
        Assert.InRange(ComponentIds.Rate(new string('a', FeedbackArm.MaxLength), helpful: false).Length, 1, 100);
}
