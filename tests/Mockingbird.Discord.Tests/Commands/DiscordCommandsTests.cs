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
    public void Drills_with_a_state_and_a_time_zone_become_the_drills_choice_and_a_bad_zone_is_refused_naming_what_is_accepted()
    {
        Assert.Equal(new ChatCommand.Drills(null, null), DiscordCommands.Parse(Command("drills")));
        Assert.Equal(new ChatCommand.Drills(false, null), DiscordCommands.Parse(Command("drills", """[{"name":"state","type":3,"value":"off"}]""")));
        Assert.Equal(
            new ChatCommand.Drills(true, "Europe/Berlin"),
            DiscordCommands.Parse(Command("drills", """[{"name":"state","type":3,"value":"on"},{"name":"timezone","type":3,"value":"Europe/Berlin"}]""")));

        var unknown = Assert.IsType<ChatCommand.Unknown>(DiscordCommands.Parse(Command("drills", """[{"name":"state","type":3,"value":"on"},{"name":"timezone","type":3,"value":"Berlin time"}]""")));
        Assert.Contains("IANA name such as Europe/Berlin", unknown.Problem, StringComparison.Ordinal);
    }

    private static InteractionData Admin(string options) =>
        Data($$$"""{"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"mock","type":1,"options":[{"name":"admin","type":2,"options":[{"name":"experiments","type":1,"options":{{{options}}}}]}]}}""");

    [Theory]
    [InlineData("privacy", "[]", typeof(ChatCommand.Privacy))]
    [InlineData("progress", "[]", typeof(ChatCommand.Progress))]
    [InlineData("dashboard", "[]", typeof(ChatCommand.Dashboard))]
    public void The_privacy_and_link_subcommands_are_recognised(string name, string options, Type expected)
    {
        Assert.IsType(expected, DiscordCommands.Parse(Command(name, options)));
    }

    [Fact]
    public void Privacy_with_a_choice_for_experiments_changes_it()
    {
        Assert.Equal(new ChatCommand.Privacy(false), DiscordCommands.Parse(Command("privacy", """[{"name":"experiments","type":3,"value":"off"}]""")));
        Assert.Equal(new ChatCommand.Privacy(true), DiscordCommands.Parse(Command("privacy", """[{"name":"experiments","type":3,"value":"on"}]""")));
        Assert.Equal(new ChatCommand.Privacy(null), DiscordCommands.Parse(Command("privacy")));
    }

    [Fact]
    public void Admin_experiments_take_an_action_an_experiment_and_an_arm()
    {
        Assert.Equal(new ChatCommand.ListExperiments(), DiscordCommands.Parse(Admin("""[{"name":"action","type":3,"value":"list"}]""")));
        Assert.Equal(new ChatCommand.ReportExperiment("judge-2026-12"), DiscordCommands.Parse(Admin("""[{"name":"action","type":3,"value":"report"},{"name":"experiment","type":3,"value":"judge-2026-12"}]""")));
        Assert.Equal(
            new ChatCommand.StopArm("judge-2026-12", "v2"),
            DiscordCommands.Parse(Admin("""[{"name":"action","type":3,"value":"stop"},{"name":"experiment","type":3,"value":"judge-2026-12"},{"name":"arm","type":3,"value":"v2"}]""")));
        var missing = Assert.IsType<ChatCommand.Unknown>(DiscordCommands.Parse(Admin("""[{"name":"action","type":3,"value":"stop"}]""")));
        Assert.Contains("Say which experiment", missing.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registered_tree_has_privacy_with_its_choice_and_an_admin_group_for_experiments()
    {
        var mock = Assert.Single(DiscordCommands.Definitions);

        var privacy = mock.Options!.Single(o => o.Name == "privacy");
        Assert.Equal(["on", "off"], Assert.Single(privacy.Options!).Choices!.Select(c => c.Value));
        var admin = mock.Options!.Single(o => o.Name == DiscordCommands.AdminGroup);
        Assert.Equal(CommandOptionTypes.SubCommandGroup, admin.Type);
        var experiments = Assert.Single(admin.Options!);
        Assert.Equal((CommandOptionTypes.SubCommand, "experiments"), (experiments.Type, experiments.Name));
        Assert.Equal(["action", "experiment", "arm"], experiments.Options!.Select(o => o.Name));
        Assert.Equal(["list", "report", "stop"], experiments.Options![0].Choices!.Select(c => c.Value));
        Assert.True(experiments.Options![0].Required);
        Assert.Contains(mock.Options!, o => o is { Name: "dashboard", Type: CommandOptionTypes.SubCommand });
        Assert.Contains(mock.Options!, o => o is { Name: "progress", Type: CommandOptionTypes.SubCommand });
        Assert.All(experiments.Options!, o => Assert.InRange(o.Description.Length, 1, 100));
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
