using System.Text.Json;
using System.Text.Json.Nodes;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Boards;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;

namespace Mockingbird.Discord.Tests.Daily;

public sealed class DiscordDailyCommandsTests
{
    private static InteractionData Daily(string subcommand, string options = "[]") =>
        JsonSerializer.Deserialize(
            $$$"""{"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"mock","type":1,"options":[{"name":"daily","type":2,"options":[{"name":"{{{subcommand}}}","type":1,"options":{{{options}}}}]}]}}""",
            DiscordJson.Default.Interaction)!.Data!;

    [Fact]
    public void Set_with_every_option_becomes_a_set_up_with_the_channel_and_role_ids()
    {
        var command = DiscordCommands.ParseDaily(Daily("set", """
            [{"name":"time","type":3,"value":"09:00"},{"name":"timezone","type":3,"value":"Europe/Berlin"},
             {"name":"channel","type":7,"value":"1000000000000000077"},{"name":"stage","type":3,"value":"design"},
             {"name":"level","type":3,"value":"senior"},{"name":"track","type":3,"value":"mlops"},
             {"name":"topic","type":3,"value":"rag"},{"name":"hours","type":4,"value":12},{"name":"role","type":8,"value":"3000000000000000001"}]
            """));

        Assert.Equal(
            new DailyCommand.SetUp("1000000000000000077", "09:00", "Europe/Berlin", "design", "senior", "mlops", "rag", 12, "3000000000000000001"),
            command);
    }

    [Fact]
    public void Set_with_only_the_required_options_leaves_the_rest_to_their_defaults()
    {
        var command = DiscordCommands.ParseDaily(Daily("set", """[{"name":"time","type":3,"value":"7:30"},{"name":"timezone","type":3,"value":"UTC"}]"""));

        Assert.Equal(new DailyCommand.SetUp(null, "7:30", "UTC"), command);
    }

    [Fact]
    public void Each_other_subcommand_becomes_its_daily_command()
    {
        const string Channel = """[{"name":"channel","type":7,"value":"42000000000000000"}]""";

        Assert.Equal(new DailyCommand.Show(), DiscordCommands.ParseDaily(Daily("show")));
        Assert.Equal(new DailyCommand.Off("42000000000000000"), DiscordCommands.ParseDaily(Daily("off", Channel)));
        Assert.Equal(new DailyCommand.Now(null), DiscordCommands.ParseDaily(Daily("now")));
        Assert.Equal(new DailyCommand.Streak("42000000000000000"), DiscordCommands.ParseDaily(Daily("streak", Channel)));
        Assert.Equal(new DailyCommand.Board(null, BoardPeriod.Week), DiscordCommands.ParseDaily(Daily("board")));
        Assert.Equal(new DailyCommand.Board(null, BoardPeriod.AllTime), DiscordCommands.ParseDaily(Daily("board", """[{"name":"period","type":3,"value":"all"}]""")));
        Assert.Equal(new DailyCommand.Boards(false), DiscordCommands.ParseDaily(Daily("boards", """[{"name":"state","type":3,"value":"off"}]""")));
        Assert.Equal(new DailyCommand.FeedbackPrivately(true), DiscordCommands.ParseDaily(Daily("feedback", """[{"name":"where","type":3,"value":"private"}]""")));
        Assert.Equal(new DailyCommand.FeedbackPrivately(false), DiscordCommands.ParseDaily(Daily("feedback", """[{"name":"where","type":3,"value":"thread"}]""")));
        Assert.IsType<DailyCommand.Invalid>(DiscordCommands.ParseDaily(Daily("board", """[{"name":"period","type":3,"value":"decade"}]""")));
    }

    [Fact]
    public void Suggest_suggestions_approve_and_reject_become_their_daily_commands_with_text_id_and_channel()
    {
        const string Yaml = "{id: rag-chunking, stage: theory, prompt: \"How big should a chunk be?\"}";

        Assert.Equal(new DailyCommand.Suggest(Yaml), DiscordCommands.ParseDaily(Daily("suggest", $$"""[{"name":"text","type":3,"value":{{JsonSerializer.Serialize(Yaml)}}}]""")));
        Assert.Equal(new DailyCommand.Suggestions("42000000000000000"), DiscordCommands.ParseDaily(Daily("suggestions", """[{"name":"channel","type":7,"value":"42000000000000000"}]""")));
        Assert.Equal(new DailyCommand.Suggestions(null), DiscordCommands.ParseDaily(Daily("suggestions")));
        Assert.Equal(
            new DailyCommand.Approve("s3", "42000000000000000"),
            DiscordCommands.ParseDaily(Daily("approve", """[{"name":"id","type":3,"value":"s3"},{"name":"channel","type":7,"value":"42000000000000000"}]""")));
        Assert.Equal(new DailyCommand.Reject("s4", null), DiscordCommands.ParseDaily(Daily("reject", """[{"name":"id","type":3,"value":"s4"}]""")));
    }

    [Fact]
    public void Other_mock_subcommands_are_not_daily_commands()
    {
        var start = JsonSerializer.Deserialize(
            """{"id":"1","application_id":"2","type":2,"token":"t","data":{"name":"mock","type":1,"options":[{"name":"start","type":1,"options":[]}]}}""",
            DiscordJson.Default.Interaction)!.Data;

        Assert.Null(DiscordCommands.ParseDaily(start));
        Assert.Null(DiscordCommands.ParseDaily(null));
    }

    [Fact]
    public void The_registered_commands_pass_discords_published_schema_and_rules()
    {
        var json = JsonSerializer.Serialize(DiscordCommands.Definitions, DiscordJson.Default.IReadOnlyListCommandDefinition);

        Assert.Empty(DiscordSpec.Validate(DiscordSpec.BulkCommands, json));
        var daily = JsonNode.Parse(json)![0]!["options"]!.AsArray().Single(o => (string?)o!["name"] == "daily")!;
        Assert.Equal(2, daily["type"]!.GetValue<int>());
        var subcommands = daily["options"]!.AsArray();
        Assert.Equal(DailyCommand.Subcommands.Select(s => s.Name), subcommands.Select(s => (string)s!["name"]!));
        foreach (var sub in subcommands)
        {
            var required = sub!["options"]?.AsArray().Select(o => o!["required"]?.GetValue<bool>() == true).ToList() ?? [];
            Assert.True(required.SequenceEqual(required.OrderByDescending(r => r)), $"{sub["name"]}: required options come first");
            Assert.All(sub["options"]?.AsArray() ?? [], o => Assert.Matches("^[-_a-z0-9]{1,32}$", (string)o!["name"]!));
            Assert.All(sub["options"]?.AsArray() ?? [], o => Assert.True((o!["choices"]?.AsArray().Count ?? 0) <= 25));
        }

        var set = subcommands.Single(s => (string?)s!["name"] == "set")!["options"]!.AsArray();
        var channel = set.Single(o => (string?)o!["name"] == "channel")!;
        Assert.Equal(7, channel["type"]!.GetValue<int>());
        Assert.Equal("[0,5]", channel["channel_types"]!.ToJsonString());
        Assert.Equal(8, set.Single(o => (string?)o!["name"] == "role")!["type"]!.GetValue<int>());
        var hours = set.Single(o => (string?)o!["name"] == "hours")!;
        Assert.Equal((4, 1, 24), (hours["type"]!.GetValue<int>(), hours["min_value"]!.GetValue<int>(), hours["max_value"]!.GetValue<int>()));

        var suggest = Assert.Single(subcommands.Single(s => (string?)s!["name"] == "suggest")!["options"]!.AsArray())!;
        Assert.Equal((3, "text", true), (suggest["type"]!.GetValue<int>(), (string)suggest["name"]!, suggest["required"]!.GetValue<bool>()));
        Assert.Equal(6000, suggest["max_length"]!.GetValue<int>());
        foreach (var decision in new[] { "approve", "reject" })
        {
            var options = subcommands.Single(s => (string?)s!["name"] == decision)!["options"]!.AsArray();
            Assert.Equal(["id", "channel"], options.Select(o => (string)o!["name"]!));
        }

        // Discord refuses a command whose names, descriptions and choice values add up to more than 8,000 characters
        // (4,000 before 2024); staying under the old limit leaves room.
        Assert.InRange(CountedCharacters(JsonNode.Parse(json)![0]!), 1, 4000);
    }

    [Fact]
    public void A_daily_rounds_button_and_form_ids_name_the_round_within_discords_100_characters()
    {
        var longest = DailyRound.IdOf(new StudyChannel("discord", "18446744073709551615", "18446744073709551614"), "2026-11-30-now-99999999999");

        var button = ComponentIds.DailyAnswer(longest);
        var modal = ComponentIds.DailyModal(longest);

        Assert.InRange(button.Length, 1, 100);
        Assert.InRange(modal.Length, 1, 100);
        Assert.True(ComponentIds.IsDailyAnswer(button, out var pressed));
        Assert.True(ComponentIds.IsDailyModal(modal, out var sent));
        Assert.Equal((longest, longest), (pressed, sent));
        Assert.False(ComponentIds.IsDailyAnswer(modal, out _));
        Assert.False(ComponentIds.IsDailyModal(button, out _));
        Assert.False(ComponentIds.IsAnswerForm(button, out _));
        Assert.Null(ComponentIds.ButtonInput(button));
        Assert.False(ComponentIds.IsDailyAnswer("mb:daily:", out _));
    }

    private static int CountedCharacters(JsonNode node) => node switch
    {
        JsonObject obj => obj.Sum(p => p.Key is "name" or "description" or "value" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s.Length : CountedCharacters(p.Value!)),
        JsonArray array => array.Sum(n => n is null ? 0 : CountedCharacters(n)),
        _ => 0,
    };
}
