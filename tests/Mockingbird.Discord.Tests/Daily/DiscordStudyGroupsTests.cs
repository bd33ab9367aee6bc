using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Discord.Tests.Daily;

/// <summary>Study groups' Discord side against the fake Discord API, which checks every body against the published schema.</summary>
public sealed class DiscordStudyGroupsTests : IAsyncLifetime
{
    private const string Token = "bot-token-for-study-group-tests";
    private const string Role = "3000000000000000001";
    private const string Answer = "I would retrieve with hybrid search, rerank, and evaluate faithfulness offline and online.";
    private const string NotRunLine = "This day's question was not run, so it takes no answers and has no reveal.";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private FakeDiscordApi _api = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeDiscordApi.StartAsync(Token, DiscordEvents.ApplicationId, _clock);
        _services = DiscordBotServices.Build(_api, Token, _clock);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _api.DisposeAsync();
    }

    private IStudyGroupPlatform Platform => _services.GetRequiredService<IStudyGroupPlatform>();

    private IStudyGroupStore Store => _services.GetRequiredService<IStudyGroupStore>();

    private IDeliveryLedger Ledger => _services.GetRequiredService<IDeliveryLedger>();

    private static string PostKey => $"daily:{Round().Id}:post";

    private static DailyRound Round(string? role = Role) => new(
        DailyRound.IdOf(new StudyChannel("discord", DiscordEvents.Guild, DiscordEvents.Channel), "2026-11-30"),
        new StudyChannel("discord", DiscordEvents.Guild, DiscordEvents.Channel),
        new DailySlot(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), new DateOnly(2026, 11, 30)),
        new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero),
        "theory-bias-variance-diagnosis",
        RoundState.Posting,
        role);

    private static RoundPost Post(DailyRound round, IReadOnlyList<string>? answerers = null, bool closed = false) =>
        new(round, "Daily question · Theory · attention", "Why does attention divide by the square root of the key dimension?", answerers ?? [], closed);

    private static RoundPost NotRun(DailyRound round) => Post(round, closed: true) with { NotRun = NotRunLine };

    [Fact]
    public async Task The_post_mentions_only_the_chosen_role_shows_the_deadline_and_opens_a_thread_on_itself()
    {
        var posted = await Platform.PostRoundAsync(Post(Round()), default);

        var message = Assert.Single(_api.Messages(DiscordEvents.Channel));
        var content = message.Body["content"]!.GetValue<string>();
        Assert.StartsWith($"<@&{Role}>", content, StringComparison.Ordinal);
        var deadline = Round().Deadline.ToUnixTimeSeconds();
        Assert.Contains($"<t:{deadline}:F>", content, StringComparison.Ordinal);
        Assert.Contains($"<t:{deadline}:R>", content, StringComparison.Ordinal);
        Assert.Equal($$"""{"parse":[],"roles":["{{Role}}"]}""", message.Body["allowed_mentions"]!.ToJsonString());
        var button = message.Body["components"]![0]!["components"]![0]!;
        Assert.Equal(("Answer", ComponentIds.DailyAnswer(Round().Id)), ((string)button["label"]!, (string)button["custom_id"]!));
        Assert.True(message.Body["enforce_nonce"]!.GetValue<bool>());
        var thread = Assert.Single(_api.Threads);
        Assert.Equal((message.Id, message.Id, DiscordEvents.Channel, 11), (posted.PostId, posted.Thread, thread.ParentId, thread.Type));
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_post_without_a_role_mentions_nobody()
    {
        await Platform.PostRoundAsync(Post(Round(role: null)), default);

        var message = Assert.Single(_api.Messages(DiscordEvents.Channel));
        Assert.Equal("""{"parse":[]}""", message.Body["allowed_mentions"]!.ToJsonString());
        Assert.DoesNotContain("<@", message.Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Posting_a_round_again_returns_the_first_post_and_its_thread_without_reading_the_channel()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        var again = await Platform.PostRoundAsync(Post(Round()), default);

        Assert.Equal(first, again);
        Assert.Single(_api.Messages(DiscordEvents.Channel));
        Assert.Single(_api.Threads);
        Assert.Contains(_api.RequestLog, r => r.Route == "POST /channels/{channel}/messages/{message}/threads" && r.Status == 400);

        // The ledger keeps the post's id: a busy channel, or one the bot cannot read back, cannot hide the post.
        Assert.DoesNotContain(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages");
    }

    [Fact]
    public async Task A_round_post_recorded_by_a_version_that_kept_no_ids_is_found_in_the_channel_not_posted_again_and_its_id_kept()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        await Ledger.RecordPostedAsync(PostKey, postedAs: null, default);

        var again = await Platform.PostRoundAsync(Post(Round()), default);

        Assert.Equal(first, again);
        Assert.Single(_api.Messages(DiscordEvents.Channel));
        Assert.Contains(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages");
        Assert.Equal(first.PostId, await Ledger.PostedAsAsync(PostKey, default));
    }

    [Fact]
    public async Task A_recorded_round_post_deleted_before_the_round_was_saved_is_posted_anew_once_under_a_nonce_of_its_own()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        _api.DeleteMessage(first.PostId);

        var again = await Platform.PostRoundAsync(Post(Round()), default);
        _api.ForgetNonces();
        var third = await Platform.PostRoundAsync(Post(Round()), default);

        var posts = _api.Messages(DiscordEvents.Channel);
        Assert.Equal(2, posts.Count);
        Assert.Equal((posts[1].Id, posts[1].Id), (again.PostId, again.Thread));
        Assert.Equal(again, third);
        Assert.Equal(again.PostId, await Ledger.PostedAsAsync(PostKey, default));
        Assert.NotEqual(posts[0].Body["nonce"]!.ToJsonString(), posts[1].Body["nonce"]!.ToJsonString());
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_replacement_post_discord_took_from_a_poster_that_died_is_found_and_not_posted_a_third_time()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        _api.DeleteMessage(first.PostId);
        var held = _api.HoldAnswerAfterAccepting(body => body["components"] is not null);
        using var dying = new CancellationTokenSource();
        var replacing = Platform.PostRoundAsync(Post(Round()), dying.Token);
        await Poll.UntilAsync(() => held.IsCompleted, "Discord to accept the replacement post");
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => replacing);

        // The next replica comes long after Discord forgot the replacement's nonce.
        _clock.Advance(TimeSpan.FromMinutes(20));
        _api.ForgetNonces();
        var posted = await Platform.PostRoundAsync(Post(Round()), default);

        var posts = _api.Messages(DiscordEvents.Channel);
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[1].Id, posted.PostId);
        Assert.Equal(posted.PostId, await Ledger.PostedAsAsync(PostKey, default));
    }

    [Theory]
    [InlineData(404, 10003)]
    [InlineData(403, 50001)]
    public async Task A_channel_gone_or_closed_to_the_bot_after_the_round_post_was_recorded_is_reported_as_gone(int status, int code)
    {
        await Platform.PostRoundAsync(Post(Round()), default);
        _api.FailNext(1, status, FakeDiscordApi.RouteIs("GET /channels/{channel}"), code);

        await Assert.ThrowsAsync<StudyChannelGoneException>(() => Platform.PostRoundAsync(Post(Round()), default));

        Assert.Single(_api.Messages(DiscordEvents.Channel));
    }

    [Fact]
    public async Task A_replacement_post_refused_because_the_bot_was_shut_out_reports_the_channel_gone_and_keeps_no_deleted_post()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        _api.DeleteMessage(first.PostId);
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("POST /channels/{channel}/messages"), 50001);

        await Assert.ThrowsAsync<StudyChannelGoneException>(() => Platform.PostRoundAsync(Post(Round()), default));

        Assert.Single(_api.Messages(DiscordEvents.Channel));
    }

    [Fact]
    public async Task A_recorded_replacement_deleted_in_turn_is_replaced_again_in_the_same_attempt()
    {
        var first = await Platform.PostRoundAsync(Post(Round()), default);
        _api.DeleteMessage(first.PostId);
        var replacement = await Platform.PostRoundAsync(Post(Round()), default);

        // The replica that made the replacement died before the round's own record named it, and it was deleted too.
        await Ledger.RecordPostedAsync(PostKey, first.PostId, default);
        _api.DeleteMessage(replacement.PostId);
        var posted = await Platform.PostRoundAsync(Post(Round()), default);

        var posts = _api.Messages(DiscordEvents.Channel);
        Assert.Equal(3, posts.Count);
        Assert.Equal((posts[2].Id, posts[2].Id), (posted.PostId, posted.Thread));
        Assert.Equal(posted.PostId, await Ledger.PostedAsAsync(PostKey, default));
    }

    [Fact]
    public async Task A_channel_where_the_bot_may_post_but_not_open_threads_gets_the_round_with_its_reveal_in_the_channel()
    {
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("POST /channels/{channel}/messages/{message}/threads"), 50013);

        var posted = await Platform.PostRoundAsync(Post(Round()), default);

        Assert.Equal((Assert.Single(_api.Messages(DiscordEvents.Channel)).Id, DiscordEvents.Channel), (posted.PostId, posted.Thread));
        Assert.Empty(_api.Threads);
    }

    [Theory]
    [InlineData(404, 10003)]
    [InlineData(403, 50001)]
    public async Task A_channel_that_is_gone_or_closed_to_the_bot_is_reported_as_gone(int status, int code)
    {
        _api.FailNext(1, status, FakeDiscordApi.RouteIs("POST /channels/{channel}/messages"), code);

        await Assert.ThrowsAsync<StudyChannelGoneException>(() => Platform.PostRoundAsync(Post(Round()), default));
    }

    [Fact]
    public async Task A_post_refused_for_missing_permissions_as_in_a_locked_channel_is_reported_as_refused_for_now_not_gone()
    {
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("POST /channels/{channel}/messages"), 50013);

        var refused = await Assert.ThrowsAsync<StudyPostRefusedException>(() => Platform.PostRoundAsync(Post(Round()), default));

        Assert.Contains("50013", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Messages(DiscordEvents.Channel));
    }

    [Fact]
    public async Task A_reveal_refused_for_missing_permissions_in_the_rounds_thread_is_reported_as_refused_for_now_not_gone()
    {
        var posted = await Platform.PostRoundAsync(Post(Round()), default);
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("POST /channels/{channel}/messages"), 50013);

        await Assert.ThrowsAsync<StudyPostRefusedException>(() => Platform.PostInThreadAsync(posted.Thread, [new PostMarkup("The reveal")], "daily:r:reveal", default));
    }

    [Fact]
    public async Task The_tally_names_who_answered_without_pinging_them_and_the_closed_post_disables_its_button()
    {
        var round = Round();
        var posted = await Platform.PostRoundAsync(Post(round), default);

        await Platform.UpdateRoundAsync(Post(round, [DiscordEvents.Candidate, DiscordEvents.Bystander]), posted, default);
        await Platform.UpdateRoundAsync(Post(round, [DiscordEvents.Candidate, DiscordEvents.Bystander], closed: true), posted, default);

        var open = _api.Edits[0].Body;
        var closed = _api.Edits[1].Body;
        Assert.Contains($"2 · <@{DiscordEvents.Candidate}>, <@{DiscordEvents.Bystander}>", open["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(new[] { open, closed }, body => Assert.Equal("""{"parse":[]}""", body["allowed_mentions"]!.ToJsonString()));
        Assert.Contains("closed", closed["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var button = closed["components"]![0]!["components"]![0]!;
        Assert.True(button["disabled"]!.GetValue<bool>());
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_round_post_known_by_its_key_is_shown_closed_as_not_run_with_its_button_disabled_and_nothing_posted()
    {
        var posted = await Platform.PostRoundAsync(Post(Round()), default);

        Assert.True(await Platform.CloseUnrecordedRoundAsync(NotRun(Round()), default));

        var edit = Assert.Single(_api.Edits);
        Assert.Equal(posted.PostId, edit.MessageId);
        var content = edit.Body["content"]!.GetValue<string>();
        Assert.Contains(NotRunLine, content, StringComparison.Ordinal);
        Assert.Contains("square root of the key dimension", content, StringComparison.Ordinal);
        Assert.DoesNotContain("Answer", content, StringComparison.Ordinal);
        Assert.DoesNotContain("Answered", content, StringComparison.Ordinal);
        Assert.Equal("""{"parse":[]}""", edit.Body["allowed_mentions"]!.ToJsonString());
        var button = edit.Body["components"]![0]!["components"]![0]!;
        Assert.True(button["disabled"]!.GetValue<bool>());
        Assert.Equal("Not run", (string)button["label"]!);
        Assert.Single(_api.Messages(DiscordEvents.Channel));
        Assert.DoesNotContain(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages");
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_round_post_whose_poster_died_before_recording_it_is_found_in_the_channel_and_shown_closed_as_not_run()
    {
        var ledger = new DyingLedger(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), _clock));
        await using var services = DiscordBotServices.Build(_api, Token, _clock, services => services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger>(ledger)));
        var platform = services.GetRequiredService<IStudyGroupPlatform>();
        var yesterday = Round() with { Id = DailyRound.IdOf(Round().Channel, "2026-11-29"), Deadline = Round().Deadline.AddDays(-1) };
        await platform.PostRoundAsync(Post(yesterday), default);
        _api.WriteMessage(DiscordEvents.Channel, DiscordEvents.Candidate, "Morning all");
        ledger.DieBeforeRecordingNext();
        await Assert.ThrowsAsync<OperationCanceledException>(() => platform.PostRoundAsync(Post(Round()), default));
        _api.WriteMessage(DiscordEvents.Channel, DiscordEvents.Bystander, "Is today's question up?");

        // A day on, past the deadline, the ledger has forgotten even the claim: the channel is read from the round's slot.
        _clock.Advance(TimeSpan.FromDays(1));

        Assert.True(await platform.CloseUnrecordedRoundAsync(NotRun(Round()), default));

        var posts = _api.Messages(DiscordEvents.Channel);
        Assert.Equal(2, posts.Count);
        var edit = Assert.Single(_api.Edits);
        Assert.Equal(posts[1].Id, edit.MessageId);
        Assert.Contains(NotRunLine, edit.Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(edit.Body["components"]![0]!["components"]![0]!["disabled"]!.GetValue<bool>());
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_round_whose_post_never_reached_the_channel_has_nothing_shown_closed_and_nothing_posted()
    {
        var yesterday = Round() with { Id = DailyRound.IdOf(Round().Channel, "2026-11-29"), Deadline = Round().Deadline.AddDays(-1) };
        await Platform.PostRoundAsync(Post(yesterday), default);
        _api.WriteMessage(DiscordEvents.Channel, DiscordEvents.Candidate, Post(Round()).Question);

        Assert.False(await Platform.CloseUnrecordedRoundAsync(NotRun(Round()), default));

        Assert.Empty(_api.Edits);
        Assert.Single(_api.Messages(DiscordEvents.Channel));
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task A_daily_post_made_while_the_store_could_not_record_it_is_shown_closed_as_not_run_after_its_deadline_and_its_button_says_so()
    {
        StudyGroupStoreOutage? outage = null;
        await using var services = DiscordBotServices.Build(_api, Token, _clock, services => services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var (store, its) = StudyGroupStoreOutage.Around(ActivatorUtilities.CreateInstance<InMemoryStudyGroupStore>(sp));
            outage = its;
            return store;
        })));
        var store = services.GetRequiredService<IStudyGroupStore>();
        var scheduler = services.GetRequiredService<DailyScheduler>();
        await store.SaveScheduleAsync(new DailySchedule(Round().Channel, new TimeOnly(8, 0), "UTC", DailyFocus.Any, TimeSpan.FromHours(2), Role, DiscordEvents.Candidate, _clock.GetUtcNow()), default);

        // Discord takes the post, and the store cannot record it until the round's deadline has passed.
        outage!.Fail(nameof(IStudyGroupStore.MarkPostedAsync));
        await scheduler.TickAsync(default);
        var post = Assert.Single(_api.Messages(DiscordEvents.Channel));
        _clock.Advance(TimeSpan.FromHours(3));
        outage.End();
        await scheduler.TickAsync(default);

        var edit = Assert.Single(_api.Edits);
        Assert.Equal(post.Id, edit.MessageId);
        Assert.Contains("was not run", edit.Body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(edit.Body["components"]![0]!["components"]![0]!["disabled"]!.GetValue<bool>());
        Assert.Single(_api.Messages(DiscordEvents.Channel));

        // A member who pressed the button before the edit reached their client is told the same.
        var button = (string)post.Body["components"]![0]!["components"]![0]!["custom_id"]!;
        var press = DiscordEvents.DailyAnswer(DiscordEvents.Channel, DiscordEvents.Bystander, button, post.Id);
        var callback = await services.GetRequiredService<DiscordInterviewBot>().AcknowledgeAsync(press.Parsed, default);
        Assert.Equal(InteractionCallbackTypes.ChannelMessageWithSource, callback.Type);
        Assert.Contains("was not run", callback.Data!.Content, StringComparison.Ordinal);
        Assert.DoesNotContain("reveal follows", callback.Data.Content, StringComparison.Ordinal);
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public void A_tally_of_hundreds_of_members_still_fits_in_one_message()
    {
        var many = Enumerable.Range(0, 400).Select(i => (2000000000000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var (content, _) = Mockingbird.Discord.Daily.DiscordStudyGroups.Post(Post(Round(), many));

        Assert.InRange(content.Length, 1, FakeDiscordApi.ContentLimit);
        Assert.EndsWith("more", content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_sent_privately_goes_to_a_direct_message_once_however_often_it_is_delivered()
    {
        var actions = new InterviewAction[] { new PostMarkup("Your feedback on the daily question:") };

        await Platform.PostPrivatelyAsync(DiscordEvents.Candidate, actions, "daily:r:private:x", default);
        await Platform.PostPrivatelyAsync(DiscordEvents.Candidate, actions, "daily:r:private:x", default);

        var direct = _api.DirectMessageChannel(DiscordEvents.Candidate);
        Assert.NotNull(direct);
        Assert.Single(_api.Messages(direct));
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task The_answer_button_opens_a_form_holding_the_members_answer_so_far()
    {
        var round = await OpenRoundAsync();
        await Store.SaveAnswerAsync(round.Id, DiscordInterviewBot.CandidateOf(DiscordEvents.Candidate), Answer, _clock.GetUtcNow(), default);

        var callback = await PressAnswerAsync(round);

        Assert.Equal(InteractionCallbackTypes.Modal, callback.Type);
        Assert.Equal(ComponentIds.DailyModal(round.Id), callback.Data!.CustomId);
        var json = JsonSerializer.Serialize(callback, DiscordJson.Default.InteractionCallback);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, json));
        Assert.Equal(Answer, JsonNode.Parse(json)!["data"]!["components"]![1]!["component"]!["value"]!.GetValue<string>());
        Assert.Contains("validation split", JsonNode.Parse(json)!["data"]!["components"]![0]!["content"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_answer_button_after_the_deadline_says_at_once_and_privately_that_the_round_has_closed()
    {
        var round = await OpenRoundAsync();
        _clock.Advance(TimeSpan.FromDays(1));

        var callback = await PressAnswerAsync(round);

        Assert.Equal(InteractionCallbackTypes.ChannelMessageWithSource, callback.Type);
        Assert.Equal(MessageFlags.Ephemeral, callback.Data!.Flags);
        Assert.Contains("closed", callback.Data.Content, StringComparison.Ordinal);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, JsonSerializer.Serialize(callback, DiscordJson.Default.InteractionCallback)));
    }

    [Fact]
    public async Task A_form_sent_after_the_deadline_is_refused_and_its_long_text_handed_back_in_several_private_replies()
    {
        var round = await OpenRoundAsync();
        _clock.Advance(TimeSpan.FromDays(1));
        var words = string.Join(' ', Enumerable.Repeat("retrieval reranking faithfulness", 250));
        var submit = DiscordEvents.MadeAt(DiscordEvents.DailyForm(DiscordEvents.Channel, DiscordEvents.Candidate, ComponentIds.DailyModal(round.Id), words), _clock.GetUtcNow());
        _api.RegisterInteraction(submit.Id, submit.Token, DiscordEvents.Channel, answeredInline: true);

        await _services.GetRequiredService<DiscordInterviewBot>().CompleteAsync(submit.Parsed, default);

        var first = Assert.Single(_api.OriginalEdits, e => e.Token == submit.Token).Body["content"]!.GetValue<string>();
        Assert.Contains("closed", first, StringComparison.Ordinal);
        var followups = _api.Followups.Where(f => f.Token == submit.Token).ToList();
        Assert.NotEmpty(followups);
        Assert.All(followups, f => Assert.Equal(MessageFlags.PrivateReply, f.Body["flags"]!.GetValue<int>()));
        var handedBack = first + string.Concat(followups.Select(f => f.Body["content"]!.GetValue<string>()));
        var quoted = handedBack[(handedBack.IndexOf("```", StringComparison.Ordinal) + 3)..].Replace("```", " ", StringComparison.Ordinal);
        Assert.Equal(words, string.Join(' ', quoted.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        Assert.Null(await Store.FindAnswerAsync(round.Id, DiscordEvents.Candidate, default));
        Assert.Empty(_api.Violations);
    }

    [Fact]
    public async Task The_answer_button_opens_the_empty_form_within_the_read_budget_when_the_store_neither_answers_nor_heeds_its_token()
    {
        var clock = new TimerWatchingClock(_clock.GetUtcNow());
        var stalled = new TaskCompletionSource<DailyRound?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new Mock<IStudyGroupStore>();
        store.Setup(s => s.FindRoundAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(stalled.Task);
        await using var services = DiscordBotServices.Build(_api, Token, clock, services => services.AddSingleton(store.Object));
        var press = DiscordEvents.DailyAnswer(DiscordEvents.Channel, DiscordEvents.Candidate, ComponentIds.DailyAnswer(Round().Id), "4000000000000000001");

        var pressing = services.GetRequiredService<DiscordInterviewBot>().AcknowledgeAsync(press.Parsed, default);
        await clock.WaitForTimerAsync(FormReads.Budget);
        clock.Advance(FormReads.Budget);
        var callback = await pressing.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        stalled.SetException(new TimeoutException("the store answered long after"));

        Assert.Equal(InteractionCallbackTypes.Modal, callback.Type);
        Assert.Equal(ComponentIds.DailyModal(Round().Id), callback.Data!.CustomId);
        Assert.Empty(DiscordSpec.Validate(DiscordSpec.InteractionCallback, JsonSerializer.Serialize(callback, DiscordJson.Default.InteractionCallback)));
    }

    private async Task<DailyRound> OpenRoundAsync()
    {
        var round = Round();
        await Store.ClaimRoundAsync(round, default);
        await Store.MarkPostedAsync(round.Id, "4000000000000000001", "4000000000000000001", default);
        return round;
    }

    private Task<InteractionCallback> PressAnswerAsync(DailyRound round)
    {
        var press = DiscordEvents.DailyAnswer(DiscordEvents.Channel, DiscordEvents.Candidate, ComponentIds.DailyAnswer(round.Id), "4000000000000000001");
        return _services.GetRequiredService<DiscordInterviewBot>().AcknowledgeAsync(press.Parsed, default);
    }
}
