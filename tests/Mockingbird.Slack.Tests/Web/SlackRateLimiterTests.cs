using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Platforms;
using Mockingbird.Slack.Web;

namespace Mockingbird.Slack.Tests.Web;

/// <summary>The tier budgets, on a clock the test moves: each tiered method takes a burst, then one call per slot.</summary>
public sealed class SlackRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_tier_3_method_takes_half_a_minutes_calls_at_once_then_one_every_1_2_seconds()
    {
        var limiter = Limiter();
        for (var i = 0; i < 25; i++)
        {
            Assert.Equal(TimeSpan.Zero, await limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default));
        }

        var next = limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default);
        _time.Advance(TimeSpan.FromSeconds(1.1));
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        Assert.Equal(TimeSpan.FromSeconds(1.2), await next);
    }

    [Theory]
    [InlineData(SlackCall.ConversationsReplies, 50)]
    [InlineData(SlackCall.ConversationsOpen, 50)]
    [InlineData(SlackCall.ReactionsAdd, 50)]
    [InlineData(SlackCall.PostEphemeral, 100)]
    public void Each_tiered_method_is_paced_to_its_published_tiers_floor(string method, int perMinute) =>
        Assert.Equal(perMinute, new SlackCall(method, null).TierPerMinute);

    [Fact]
    public void Reading_a_thread_may_be_sent_again_after_an_unknown_outcome_but_posting_may_not()
    {
        Assert.True(new SlackCall(SlackCall.ConversationsReplies, "C1").SafeToRepeat);
        Assert.False(new SlackCall(SlackCall.PostMessage, "C1").SafeToRepeat);
    }

    [Fact]
    public async Task Each_method_has_its_own_budget_and_untiered_methods_and_modals_with_a_3_second_trigger_are_not_paced()
    {
        var limiter = Limiter();
        for (var i = 0; i < 25; i++)
        {
            await limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default);
        }

        Assert.Equal(TimeSpan.Zero, await limiter.WaitTurnAsync(new SlackCall("chat.update", "C1"), default));
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(TimeSpan.Zero, await limiter.WaitTurnAsync(new SlackCall("auth.test", null), default));
            Assert.Equal(TimeSpan.Zero, await limiter.WaitTurnAsync(new SlackCall("views.open", null), default));
        }
    }

    [Fact]
    public async Task A_turn_further_off_than_the_client_waits_is_refused_at_once_and_takes_no_slot()
    {
        var limiter = Limiter(maxWait: TimeSpan.FromSeconds(5));
        var waiting = new List<Task<TimeSpan>>();
        for (var i = 0; i < 25 + 4; i++)
        {
            waiting.Add(limiter.WaitTurnAsync(new SlackCall("conversations.open", null), default));
        }

        var refused = await Assert.ThrowsAsync<SlackApiException>(() => limiter.WaitTurnAsync(new SlackCall("conversations.open", null), default));
        Assert.Equal("ratelimited", refused.Error);

        _time.Advance(TimeSpan.FromSeconds(1.2));
        var afterOneSlot = limiter.WaitTurnAsync(new SlackCall("conversations.open", null), default);
        _time.Advance(TimeSpan.FromSeconds(4.8));
        Assert.Equal(TimeSpan.FromSeconds(4.8), await afterOneSlot);
        Assert.All(waiting, task => Assert.True(task.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task After_a_429_a_tiered_method_resumes_one_slot_at_a_time_instead_of_in_a_fresh_burst()
    {
        var limiter = Limiter();
        var call = new SlackCall("chat.postEphemeral", null);
        using var refused = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        limiter.Observe(call, refused, new ServerWait(TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.Zero, await limiter.WaitTurnAsync(call, default));
        var second = limiter.WaitTurnAsync(call, default);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.6));

        Assert.Equal(TimeSpan.FromSeconds(0.6), await second);
    }

    [Fact]
    public async Task A_reaction_waits_at_most_two_seconds_for_its_turn_because_the_answer_has_a_text_acknowledgement_instead()
    {
        var limiter = Limiter();
        for (var i = 0; i < 25; i++)
        {
            await limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default);
        }

        var second = limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default);

        await Assert.ThrowsAsync<SlackApiException>(() => limiter.WaitTurnAsync(new SlackCall("reactions.add", null), default));
        _time.Advance(TimeSpan.FromSeconds(1.2));
        Assert.Equal(TimeSpan.FromSeconds(1.2), await second);
    }

    [Fact]
    public async Task A_modal_is_refused_at_once_while_its_method_is_paused_because_its_trigger_would_die_waiting()
    {
        var limiter = Limiter();
        var call = new SlackCall("views.open", null);
        using var refused = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        limiter.Observe(call, refused, new ServerWait(TimeSpan.FromSeconds(1)));

        var refusal = await Assert.ThrowsAsync<SlackApiException>(() => limiter.WaitTurnAsync(call, default));

        Assert.Equal("ratelimited", refusal.Error);
    }

    private SlackRateLimiter Limiter(TimeSpan? maxWait = null) =>
        new(_time, Options.Create(new SlackWebApiOptions { MaxRateLimitWait = maxWait ?? TimeSpan.FromSeconds(60) }));
}
