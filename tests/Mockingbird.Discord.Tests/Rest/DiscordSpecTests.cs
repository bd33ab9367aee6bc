using Mockingbird.Discord.Tests.Fakes;

namespace Mockingbird.Discord.Tests.Rest;

public class DiscordSpecTests
{
    private const string Buttons = """
        [{"type":1,"components":[
            {"type":2,"style":1,"label":"Next question","custom_id":"next:1"},
            {"type":2,"style":4,"label":"End","custom_id":"end:1"}]}]
        """;

    [Fact]
    public void A_message_with_content_no_mentions_and_a_row_of_buttons_passes()
    {
        var errors = DiscordSpec.Validate(DiscordSpec.MessageCreate, $$"""{"content":"Question 1","allowed_mentions":{"parse":[]},"components":{{Buttons}}}""");

        Assert.Empty(errors);
    }

    [Fact]
    public void Content_given_as_a_number_fails()
    {
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.MessageCreate, """{"content":42,"allowed_mentions":{"parse":[]}}"""));
    }

    [Fact]
    public void An_unknown_allowed_mentions_parse_value_fails()
    {
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.MessageCreate, """{"content":"hi","allowed_mentions":{"parse":["everybody"]}}"""));
    }

    [Fact]
    public void A_button_label_of_81_characters_fails_and_one_of_80_passes()
    {
        string Message(int labelLength) =>
            $$"""{"content":"hi","allowed_mentions":{"parse":[]},"components":[{"type":1,"components":[{"type":2,"style":1,"label":"{{new string('x', labelLength)}}","custom_id":"a"}]}]}""";

        Assert.Empty(DiscordSpec.Validate(DiscordSpec.MessageCreate, Message(80)));
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.MessageCreate, Message(81)));
    }

    [Fact]
    public void A_deferred_callback_passes_and_an_unknown_callback_type_fails()
    {
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, """{"type":5,"data":{"flags":64}}"""));
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, """{"type":1}"""));
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, """{"type":99,"data":{"content":"hi"}}"""));
    }

    [Fact]
    public void A_command_with_a_subcommand_and_a_string_option_passes_and_an_unknown_option_type_fails()
    {
        const string Command = """
            [{"name":"mock","description":"Mock interviews","type":1,"contexts":[0],"options":[
              {"type":1,"name":"start","description":"Start an interview","options":[
                {"type":3,"name":"plan","description":"Which plan","required":true,"choices":[{"name":"System design","value":"system-design"}]}]}]}]
            """;

        Assert.Empty(DiscordSpec.Validate(DiscordSpec.BulkCommands, Command));
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.BulkCommands, Command.Replace("\"type\":3", "\"type\":42", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_thread_of_an_unknown_channel_type_fails()
    {
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.ThreadWithoutMessage, """{"name":"Interview","type":12,"auto_archive_duration":1440}"""));
        Assert.NotEmpty(DiscordSpec.Validate(DiscordSpec.ThreadWithoutMessage, """{"name":"Interview","type":0}"""));
    }
}
