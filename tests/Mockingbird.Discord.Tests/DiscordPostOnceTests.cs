using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;
using Moq;

namespace Mockingbird.Discord.Tests;

public sealed class DiscordPostOnceTests
{
    private const string Channel = "1000000000000000009";
    private const string PartKey = "turn-3#0";
    private const string BotId = "1";

    private static readonly MessageCreate Part = new("Feedback on question 3: the cache was named, the drift was not.", Nonce: "n", EnforceNonce: true);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly Mock<IDiscordRest> _rest = new(MockBehavior.Strict);
    private readonly InMemoryDeliveryLedger _ledger;
    private readonly DiscordPostOnce _posts;

    public DiscordPostOnceTests()
    {
        _ledger = new InMemoryDeliveryLedger(Options.Create(new SessionStoreOptions()), _clock);
        _posts = new DiscordPostOnce(_rest.Object, _ledger, _clock, NullLogger<DiscordPostOnce>.Instance);
        _rest.Setup(r => r.GetCurrentUserAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new DiscordUser(BotId, "mockingbird", true));
    }

    [Fact]
    public async Task A_part_taken_over_from_a_dead_poster_is_looked_for_past_a_full_page_and_found_not_posted_again()
    {
        await LeaveToTakeOverAsync();
        var crowd = Enumerable.Range(1, 100).Select(i => Message(i, "someone else's message", bot: false)).ToList();
        var own = Message(101, Part.Content!, bot: true);
        _rest.Setup(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>()))
            .ReturnsAsync((string _, string after, int _, CancellationToken _) => ulong.Parse(after, CultureInfo.InvariantCulture) < Id(1) ? crowd : [own]);

        var posted = await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default);

        Assert.Equal(own.Id, posted?.Id);
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await _ledger.TryClaimAsync(PartKey, "next", default));
        _rest.Verify(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>()), Times.Exactly(2));
        _rest.Verify(r => r.CreateMessageAsync(It.IsAny<string>(), It.IsAny<MessageCreate>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData("2", false, "")]
    [InlineData("77", true, "")]
    [InlineData(BotId, true, "\n\nQuestion 4 of 8")]
    public async Task A_message_that_is_not_this_bots_post_of_the_whole_part_is_not_taken_for_it(string author, bool bot, string more)
    {
        await LeaveToTakeOverAsync();
        var lookalike = Message(1, Part.Content + more, bot) with { Author = new DiscordUser(author, "someone", bot ? true : null) };
        _rest.Setup(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>())).ReturnsAsync([lookalike]);
        var created = Message(2, Part.Content!, bot: true);
        _rest.Setup(r => r.CreateMessageAsync(Channel, Part, It.IsAny<CancellationToken>())).ReturnsAsync(created);

        var posted = await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default);

        Assert.Equal(created.Id, posted?.Id);
        _rest.Verify(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_part_whose_later_lines_changed_since_is_found_by_the_lines_that_did_not()
    {
        await LeaveToTakeOverAsync();
        var earlier = Message(1, "Drill on coverage: 3.5 of 4.\nNext drill: Mon 7 Dec 09:00 (UTC), on coverage.", bot: true);
        _rest.Setup(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>())).ReturnsAsync([earlier]);
        var now = new MessageCreate("Drill on coverage: 3.5 of 4.\nNext drill: Tue 8 Dec 09:00 (UTC), on latency.");

        var posted = await _posts.PostAsync(Channel, now, PartKey, findPostedSince: null, knownBy: "Drill on coverage: 3.5 of 4.", default);

        Assert.Equal(earlier.Id, posted?.Id);
        _rest.Verify(r => r.CreateMessageAsync(It.IsAny<string>(), It.IsAny<MessageCreate>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_channel_read_back_empty_as_without_read_message_history_is_posted_in_and_the_part_recorded()
    {
        await LeaveToTakeOverAsync();
        _rest.Setup(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _rest.Setup(r => r.CreateMessageAsync(Channel, Part, It.IsAny<CancellationToken>())).ReturnsAsync(Message(1, Part.Content!, bot: true));

        Assert.NotNull(await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default));

        _rest.Verify(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>()), Times.Once);
        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await _ledger.TryClaimAsync(PartKey, "next", default));
    }

    [Fact]
    public async Task A_look_that_fails_keeps_the_claim_so_the_next_poster_looks_again_rather_than_posting_blind()
    {
        await LeaveToTakeOverAsync();
        _rest.Setup(r => r.GetMessagesAfterAsync(Channel, It.IsAny<string>(), 100, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DiscordApiException(429, 0, "GET /channels/{channel}/messages", "You are being rate limited."));

        await Assert.ThrowsAsync<DiscordApiException>(() => _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default));

        Assert.Equal(DeliveryClaimOutcome.HeldElsewhere, await _ledger.TryClaimAsync(PartKey, "next", default));
        _clock.Advance(_ledger.Lease);
        Assert.Equal(DeliveryClaimOutcome.Reclaimed, await _ledger.TryClaimAsync(PartKey, "next", default));
    }

    [Fact]
    public async Task A_post_discord_refused_frees_the_part_so_the_next_attempt_posts_at_once_without_looking()
    {
        _rest.SetupSequence(r => r.CreateMessageAsync(Channel, Part, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new DiscordApiException(403, 50013, "POST /channels/{channel}/messages", "Missing Permissions"))
            .ReturnsAsync(Message(1, Part.Content!, bot: true));

        await Assert.ThrowsAsync<DiscordApiException>(() => _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default));
        var posted = await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default);

        Assert.NotNull(posted);
        _rest.Verify(r => r.GetMessagesAfterAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task A_part_another_poster_holds_is_not_posted_and_says_so()
    {
        await _ledger.TryClaimAsync(PartKey, "live-poster", default);

        var held = await Assert.ThrowsAsync<DeliveryHeldElsewhereException>(() => _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default));

        Assert.Equal(PartKey, held.PartKey);
    }

    [Fact]
    public async Task A_part_posted_for_a_caller_that_needs_it_again_is_given_back_by_its_recorded_id_without_reading_the_channel()
    {
        var created = Message(1, Part.Content!, bot: true);
        _rest.Setup(r => r.CreateMessageAsync(Channel, Part, It.IsAny<CancellationToken>())).ReturnsAsync(created);
        _rest.Setup(r => r.GetChannelAsync(Channel, It.IsAny<CancellationToken>())).ReturnsAsync(new DiscordChannel(Channel, 0));
        var slot = _clock.GetUtcNow();

        await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: slot, knownBy: null, default);
        _clock.Advance(TimeSpan.FromHours(3));
        var again = await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: slot, knownBy: null, default);

        Assert.Equal((created.Id, Channel), (again?.Id, again?.ChannelId));
        _rest.Verify(r => r.CreateMessageAsync(It.IsAny<string>(), It.IsAny<MessageCreate>(), It.IsAny<CancellationToken>()), Times.Once);
        _rest.Verify(r => r.GetMessagesAfterAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int>(), It.IsAny<CancellationToken>()), Times.Never);
        _rest.Verify(r => r.GetChannelAsync(Channel, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task A_part_that_is_only_to_be_posted_once_keeps_no_id_in_the_ledger()
    {
        _rest.Setup(r => r.CreateMessageAsync(Channel, Part, It.IsAny<CancellationToken>())).ReturnsAsync(Message(1, Part.Content!, bot: true));

        await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default);

        Assert.Equal(DeliveryClaimOutcome.AlreadyPosted, await _ledger.TryClaimAsync(PartKey, "next", default));
        Assert.Null(await _ledger.PostedAsAsync(PartKey, default));
        Assert.Null(await _posts.PostAsync(Channel, Part, PartKey, findPostedSince: null, knownBy: null, default));
    }

    /// <summary>A poster claimed the part and died; its claim lapsed half an hour ago.</summary>
    private async Task LeaveToTakeOverAsync()
    {
        await _ledger.TryClaimAsync(PartKey, "dead-poster", default);
        _clock.Advance(_ledger.Lease + TimeSpan.FromMinutes(30));
    }

    private ulong Id(int sequence) => ((ulong)(_clock.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(1_420_070_400_000)).TotalMilliseconds << 22) + (ulong)sequence;

    private DiscordMessage Message(int sequence, string content, bool bot) =>
        new(Id(sequence).ToString(CultureInfo.InvariantCulture), Channel, new DiscordUser(bot ? BotId : "2", bot ? "mockingbird" : "ada", bot ? true : null), content);
}
