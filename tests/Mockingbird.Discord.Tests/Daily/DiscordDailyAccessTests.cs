using System.Text.Json;
using System.Text.Json.Nodes;
using Mockingbird.Discord.Daily;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.StudyGroups.Schedules;
using Moq;

namespace Mockingbird.Discord.Tests.Daily;

public sealed class DiscordDailyAccessTests
{
    private const string Other = "1000000000000000077";

    private readonly Mock<IDiscordRest> _rest = new(MockBehavior.Strict);

    private static StudyChannel Study(string channel = DiscordEvents.Channel) => new("discord", DiscordEvents.Guild, channel);

    private DiscordDailyAccess Access(FakeInteraction interaction) =>
        new(JsonSerializer.Deserialize(interaction.Body.ToJsonString(), DiscordJson.Default.Interaction)!, _rest.Object);

    [Theory]
    [InlineData(DiscordEvents.MemberPermissions, false)]
    [InlineData(DiscordEvents.ModeratorPermissions, true)]
    [InlineData("8", true)]
    [InlineData("32", true)]
    [InlineData("0", false)]
    [InlineData("not a number", false)]
    public async Task Only_manage_server_or_administrator_in_the_members_permissions_may_manage(string permissions, bool allowed)
    {
        var access = Access(DiscordEvents.Daily("show", DiscordEvents.Candidate, permissions));

        Assert.Equal(allowed, await access.MayManageAsync(Study(), default));
    }

    [Fact]
    public async Task A_member_without_permissions_in_the_interaction_may_not_manage()
    {
        var interaction = DiscordEvents.Daily("show", DiscordEvents.Candidate, "8");
        interaction.Body["member"]!.AsObject().Remove("permissions");

        Assert.False(await Access(interaction).MayManageAsync(Study(), default));
    }

    [Fact]
    public async Task Permissions_beyond_64_bits_are_still_read()
    {
        var huge = ((System.Numerics.BigInteger.One << 70) | 32).ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(await Access(DiscordEvents.Daily("show", DiscordEvents.Candidate, huge)).MayManageAsync(Study(), default));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(5, null)]
    [InlineData(2, "is not a text or announcement channel")]
    [InlineData(15, "is not a text or announcement channel")]
    [InlineData(11, "is a thread")]
    public async Task A_chosen_channel_is_judged_by_its_type_as_discord_resolved_it(int type, string? problem)
    {
        var options = new JsonArray(new JsonObject { ["name"] = "channel", ["type"] = 7, ["value"] = Other });
        var access = Access(DiscordEvents.Daily("set", DiscordEvents.Candidate, DiscordEvents.ModeratorPermissions, options, resolvedChannelType: type));

        var said = await access.CannotPostInAsync(Study(Other), default);

        if (problem is null)
        {
            Assert.Null(said);
        }
        else
        {
            Assert.Contains(problem, said, StringComparison.Ordinal);
            Assert.StartsWith($"<#{Other}>", said, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_channel_known_only_by_its_id_is_looked_up_and_an_unknown_one_is_said_so()
    {
        _rest.Setup(r => r.GetChannelAsync(Other, It.IsAny<CancellationToken>())).ThrowsAsync(new DiscordApiException(404, 10003, "GET /channels/{channel}", "Unknown Channel"));
        _rest.Setup(r => r.GetChannelAsync("1000000000000000078", It.IsAny<CancellationToken>())).ReturnsAsync(new DiscordChannel("1000000000000000078", 2, DiscordEvents.Guild));
        var access = Access(DiscordEvents.Daily("off", DiscordEvents.Candidate, DiscordEvents.ModeratorPermissions));

        Assert.Contains("can't find", await access.CannotPostInAsync(Study(Other), default), StringComparison.Ordinal);
        Assert.Contains("not a text or announcement channel", await access.CannotPostInAsync(Study("1000000000000000078"), default), StringComparison.Ordinal);
        Assert.Null(await access.CannotPostInAsync(Study(), default));
    }

    [Fact]
    public async Task Whoever_presses_the_button_on_the_channels_post_is_a_member_and_nobody_elsewhere_is()
    {
        var access = Access(DiscordEvents.DailyAnswer(DiscordEvents.Channel, DiscordEvents.Candidate, "mb:daily:x", "5"));

        Assert.True(await access.IsMemberAsync(Study(), default));
        Assert.False(await access.IsMemberAsync(Study(Other), default));
        Assert.False(await access.IsMemberAsync(new StudyChannel("discord", "1000000000000000099", DiscordEvents.Channel), default));
    }

    [Fact]
    public async Task A_press_on_the_post_shown_at_the_top_of_its_thread_counts_for_the_threads_channel()
    {
        var inThread = DiscordEvents.Command("show", channel: "1000000000000000055", inThread: true);

        Assert.True(await Access(inThread).IsMemberAsync(Study(), default));
        Assert.False(await Access(inThread).IsMemberAsync(Study("1000000000000000055"), default));
    }

    [Fact]
    public void A_command_used_in_a_rounds_thread_is_about_the_channel_the_thread_belongs_to()
    {
        var inThread = DiscordEvents.Command("show", channel: "1000000000000000055", inThread: true);
        var inDm = DiscordEvents.Command("show");
        inDm.Body.Remove("guild_id");

        Assert.Equal(Study(), DiscordDailyAccess.Here(inThread.Parsed));
        Assert.Null(DiscordDailyAccess.Here(inDm.Parsed));
    }
}
