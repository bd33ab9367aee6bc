using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Host.Cli;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Daily;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.SocketMode;
using Mockingbird.Slack.Tests.EndToEnd;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Web;
using Mockingbird.Slack.Wire;
using Mockingbird.StudyGroups;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.Testing;
using Moq;

namespace Mockingbird.Slack.Tests.Daily;

/// <summary>
/// Study groups' Slack adapter against the fake Web API: routing and parsing of <c>/mock daily</c>, who may manage
/// and answer, the round's post and its updates (checked against Slack's description and Block Kit's rules), the
/// answer modal, and posting once across a crash.
/// </summary>
public sealed class SlackStudyGroupsTests : IAsyncLifetime
{
    private const string BotToken = "xoxb-daily-tests";
    private const string Study = "C0STUDY01";
    private const string Admin = "U0ADMIN";
    private const string Creator = "U0CREATOR";
    private const string Member = "U0MEMBER";
    private const string NotRunLine = "This day's question was not run, so it takes no answers and has no reveal.";

    private readonly FakeTimeProvider _ledgerTime = new(TimeProvider.System.GetUtcNow());
    private readonly DyingLedger _ledger;
    private FakeSlackWebApi _web = null!;
    private ServiceProvider _services = null!;

    public SlackStudyGroupsTests() =>
        _ledger = new DyingLedger(new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), _ledgerTime));

    public async Task InitializeAsync()
    {
        _web = await FakeSlackWebApi.StartAsync(BotToken, "xapp-daily-tests");
        _web.AddUser(Admin, admin: true);
        _web.AddUser(Creator);
        _web.AddUser(Member);
        _web.AddChannel(Study, Creator, [Admin, Creator, Member]);
        _services = BuildServices();
    }

    private ServiceProvider BuildServices(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = BotToken,
            ["Slack:AppToken"] = "xapp-daily-tests",
            ["Slack:ApiBaseUrl"] = _web.ApiBaseUrl.ToString(),
            ["Slack:Web:PostMessageInterval"] = "00:00:00.020",
            ["QuestionBank:Directory"] = RepositoryPaths.QuestionBank,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddInterviewCore(configuration, JudgingMode.Queued);
        services.AddSlackBot();
        services.AddStudyGroups();
        services.AddInMemoryStudyGroupStore();
        services.Replace(ServiceDescriptor.Singleton<IDeliveryLedger>(_ledger));
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _web.DisposeAsync();
    }

    private ISlackWebApi Web => _services.GetRequiredService<ISlackWebApi>();

    private SlackStudyGroups Platform => _services.GetRequiredService<SlackStudyGroups>();

    private static StudyChannel Channel => new("slack", FakeSlackWebApi.TeamId, Study);

    [Theory]
    [InlineData("daily set <#C0STUDY01|study> 09:00 Europe/Berlin", true)]
    [InlineData("  DAILY show", true)]
    [InlineData("start system-design", false)]
    [InlineData("dailyish", false)]
    [InlineData(null, false)]
    public void Only_commands_whose_first_word_is_daily_go_to_study_groups(string? text, bool daily) =>
        Assert.Equal(daily, SlackDailyQuestions.IsDaily(text));

    [Fact]
    public void A_channel_escaped_by_slack_names_the_channel_to_set()
    {
        var set = Assert.IsType<DailyCommand.SetUp>(SlackDailyQuestions.Parse("daily set <#C0STUDY01|study-group> 09:30 Europe/Berlin hours=12"));

        Assert.Equal(Study, set.Channel);
        Assert.Equal("09:30", set.Time);
        Assert.Equal("Europe/Berlin", set.TimeZone);
        Assert.Equal(12, set.Hours);
        Assert.IsType<DailyCommand.Help>(SlackDailyQuestions.Parse("daily"));
        Assert.IsType<DailyCommand.Off>(SlackDailyQuestions.Parse("daily off <#C0STUDY01|>"));
    }

    [Fact]
    public void A_round_id_names_its_slack_channel_and_nothing_else_does()
    {
        var round = DailyRound.IdOf(Channel, "2025-03-01-now-1740819600");

        Assert.Equal(Channel, SlackDailyQuestions.ChannelOfRound(round));
        Assert.Null(SlackDailyQuestions.ChannelOfRound("discord:1:2:2025-03-01"));
        Assert.Null(SlackDailyQuestions.ChannelOfRound("slack:T1:C1"));
        Assert.Null(SlackDailyQuestions.ChannelOfRound(null));
    }

    [Fact]
    public async Task Help_lists_the_daily_commands_beside_the_interview_ones()
    {
        await SendAsync("slash_commands", SlackEvents.Command("help"));

        var reply = Assert.Single(_web.Ephemerals).Text!;
        Assert.Contains("/mock start", reply, StringComparison.Ordinal);
        Assert.Contains("/mock daily set", reply, StringComparison.Ordinal);
        Assert.Contains("/mock daily board", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_who_is_neither_admin_nor_the_channels_creator_may_not_manage_it()
    {
        Assert.False(await Access(Member).MayManageAsync(Channel, default));
        Assert.True(await Access(Admin).MayManageAsync(Channel, default));
        Assert.True(await Access(Creator).MayManageAsync(Channel, default));
        Assert.False(await Access(Member).MayManageAsync(Channel with { Channel = "C0NOWHERE" }, default));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task An_admin_of_another_workspace_met_in_a_shared_channel_may_not_manage_it()
    {
        _web.AddUser("U0PARTNERADMIN", admin: true, team: "T0PARTNER");

        Assert.False(await Access("U0PARTNERADMIN").MayManageAsync(Channel, default));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_daily_set_by_a_plain_member_is_refused_and_by_an_admin_is_saved()
    {
        var set = SlackEvents.Command($"daily set <#{Study}|study> 09:00 Europe/Berlin", Member);
        set["team_id"] = FakeSlackWebApi.TeamId;
        await SendAsync("slash_commands", set);
        var admin = SlackEvents.Command($"daily set <#{Study}|study> 09:00 Europe/Berlin", Admin);
        await SendAsync("slash_commands", admin);

        Assert.StartsWith("Only people who can manage", _web.Ephemerals[0].Text, StringComparison.Ordinal);
        Assert.Equal(Member, _web.Ephemerals[0].User);
        Assert.StartsWith($"Daily question set for <#{Study}>", _web.Ephemerals[1].Text, StringComparison.Ordinal);
        Assert.Contains("<!date^", _web.Ephemerals[1].Text, StringComparison.Ordinal);
        Assert.NotNull(await _services.GetRequiredService<IStudyGroupStore>().FindScheduleAsync(Channel.Key, default));
    }

    [Fact]
    public async Task A_channel_the_bot_cannot_post_in_is_refused_with_the_reason_and_what_to_do()
    {
        _web.AddChannel("C0ARCHIVED", Creator, [Creator], archived: true);
        _web.AddChannel("C0WITHOUT", Creator, [Creator]);
        _web.ChannelsWithoutBot = new HashSet<string>(StringComparer.Ordinal) { "C0WITHOUT" };
        var access = Access(Admin);

        Assert.Contains("does not exist", await access.CannotPostInAsync(Channel with { Channel = "C0NOWHERE" }, default), StringComparison.Ordinal);
        Assert.Contains("is archived", await access.CannotPostInAsync(Channel with { Channel = "C0ARCHIVED" }, default), StringComparison.Ordinal);
        Assert.Contains("/invite @Mockingbird", await access.CannotPostInAsync(Channel with { Channel = "C0WITHOUT" }, default), StringComparison.Ordinal);
        Assert.Null(await access.CannotPostInAsync(Channel, default));
    }

    [Fact]
    public async Task Membership_is_read_across_pages_of_the_channels_members()
    {
        var many = Enumerable.Range(0, 450).Select(i => $"U{i:D6}").ToList();
        _web.AddChannel("C0CROWD", Creator, [.. many, Member]);

        Assert.True(await Access(Member).IsMemberAsync(Channel with { Channel = "C0CROWD" }, default));
        Assert.False(await Access("U0STRANGER").IsMemberAsync(Channel with { Channel = "C0CROWD" }, default));
        Assert.False(await Access(Member).IsMemberAsync(Channel with { Channel = "C0NOWHERE" }, default));
        Assert.True(_web.RequestLog.Count(r => r.Method == "conversations.members") >= 6);
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task The_rounds_post_has_its_question_deadline_and_answer_button_and_a_repeat_finds_the_first_post()
    {
        var post = Post([], closed: false);

        var first = await Platform.PostRoundAsync(post, default);
        var again = await Platform.PostRoundAsync(post, default);

        var message = Assert.Single(_web.Messages(Study));
        Assert.Equal(first, again);
        Assert.Equal($"{Study}/{message.Ts}", first.Thread);
        var blocks = Json(message.Blocks!);
        Assert.Contains("\"type\":\"header\"", blocks, StringComparison.Ordinal);
        Assert.Contains("&lt;@U0EVIL&gt;", blocks, StringComparison.Ordinal);
        Assert.Contains($"<!date^{post.Round.Deadline.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|", blocks, StringComparison.Ordinal);
        Assert.Equal(post.Round.Id, ButtonValue(message.Blocks!, SlackActions.DailyAnswer));
        Assert.DoesNotContain("<!channel>", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain("<!here>", blocks, StringComparison.Ordinal);
        Assert.Empty(BlockKitRules.CheckMessageBlocks(message.Blocks));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_round_post_recorded_as_made_is_given_back_however_busy_the_channel_has_been_since()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        _web.AddChatter(Study, 1_500);

        var again = await Platform.PostRoundAsync(post, default);

        Assert.Equal(first, again);
        Assert.Single(_web.Messages(Study), m => m.Blocks is not null);
        Assert.Single(_web.RequestLog, r => r.Method == "conversations.history");
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_round_post_recorded_by_a_version_that_kept_no_ts_is_found_in_the_channels_history_not_posted_again_and_its_ts_kept()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        await _ledger.RecordPostedAsync(PostKey(post), postedAs: null, default);

        var again = await Platform.PostRoundAsync(post, default);

        Assert.Equal(first, again);
        Assert.Single(_web.Messages(Study));
        Assert.Contains(_web.RequestLog, r => r.Method == "conversations.history");
        Assert.Equal(SlackThread.Parse(first.PostId)!.Value.Ts, await _ledger.PostedAsAsync(PostKey(post), default));
    }

    [Fact]
    public async Task A_recorded_round_post_deleted_before_the_round_was_saved_is_posted_anew_once_and_kept()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        _web.DeleteMessage(Study, SlackThread.Parse(first.PostId)!.Value.Ts);

        var again = await Platform.PostRoundAsync(post, default);
        var third = await Platform.PostRoundAsync(post, default);

        var posts = _web.Messages(Study);
        Assert.Equal(2, posts.Count);
        Assert.Equal($"{Study}/{posts[1].Ts}", again.PostId);
        Assert.Equal(again, third);
        Assert.Equal(posts[1].Ts, await _ledger.PostedAsAsync(PostKey(post), default));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_recorded_round_post_deleted_after_members_replied_is_posted_anew_rather_than_kept_as_its_tombstone()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        var firstTs = SlackThread.Parse(first.PostId)!.Value.Ts;
        _web.AddReply(Study, firstTs, "My answer: the gap says variance.");
        _web.DeleteMessage(Study, firstTs);

        var again = await Platform.PostRoundAsync(post, default);

        var top = _web.Messages(Study).Where(m => m.ThreadTs is null).ToList();
        Assert.Equal(2, top.Count);
        Assert.Equal($"{Study}/{top[1].Ts}", again.PostId);
        Assert.Equal(top[1].Ts, await _ledger.PostedAsAsync(PostKey(post), default));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_recorded_replacement_deleted_in_turn_is_replaced_again_in_the_same_attempt()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        _web.DeleteMessage(Study, SlackThread.Parse(first.PostId)!.Value.Ts);
        var replacement = await Platform.PostRoundAsync(post, default);

        // The replica that made the replacement died before the round's own record named it, and it was deleted too.
        await _ledger.RecordPostedAsync(PostKey(post), SlackThread.Parse(first.PostId)!.Value.Ts, default);
        _web.DeleteMessage(Study, SlackThread.Parse(replacement.PostId)!.Value.Ts);
        var posted = await Platform.PostRoundAsync(post, default);

        var posts = _web.Messages(Study);
        Assert.Equal(3, posts.Count);
        Assert.Equal($"{Study}/{posts[2].Ts}", posted.PostId);
        Assert.Equal(posts[2].Ts, await _ledger.PostedAsAsync(PostKey(post), default));
    }

    [Fact]
    public async Task A_replacement_post_slack_took_from_a_poster_that_died_is_found_and_not_posted_a_third_time()
    {
        var post = Post([], closed: false);
        var first = await Platform.PostRoundAsync(post, default);
        _web.DeleteMessage(Study, SlackThread.Parse(first.PostId)!.Value.Ts);
        _ledger.DieBeforeRecordingNext();
        await Assert.ThrowsAsync<OperationCanceledException>(() => Platform.PostRoundAsync(post, default));

        _ledgerTime.Advance(_ledger.Lease + TimeSpan.FromSeconds(1));
        var taken = await Platform.PostRoundAsync(post, default);

        var posts = _web.Messages(Study);
        Assert.Equal(2, posts.Count);
        Assert.Equal($"{Study}/{posts[1].Ts}", taken.PostId);
        Assert.Equal(posts[1].Ts, await _ledger.PostedAsAsync(PostKey(post), default));
    }

    [Fact]
    public async Task A_replica_that_dies_after_posting_leaves_the_post_for_the_next_one_to_find_instead_of_posting_again()
    {
        var post = Post([], closed: false);
        _ledger.DieBeforeRecordingNext();
        await Assert.ThrowsAsync<OperationCanceledException>(() => Platform.PostRoundAsync(post, default));

        _ledgerTime.Advance(_ledger.Lease + TimeSpan.FromSeconds(1));
        var taken = await Platform.PostRoundAsync(post, default);

        var message = Assert.Single(_web.Messages(Study));
        Assert.Equal($"{Study}/{message.Ts}", taken.PostId);
        Assert.Contains(_web.RequestLog, r => r.Method == "conversations.history");
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task The_tally_names_who_answered_and_a_closed_round_loses_its_button()
    {
        var posted = await Platform.PostRoundAsync(Post([], closed: false), default);

        await Platform.UpdateRoundAsync(Post([Member, Admin], closed: false), posted, default);
        await Platform.UpdateRoundAsync(Post([Member, Admin], closed: true), posted, default);

        var open = Json(_web.Updates[0].Blocks!);
        var closed = _web.Updates[1].Blocks!;
        Assert.Contains($"2 answers so far, from <@{Member}>, <@{Admin}>", open, StringComparison.Ordinal);
        Assert.Contains(SlackActions.DailyAnswer, open, StringComparison.Ordinal);
        Assert.Contains("*Closed*", Json(closed), StringComparison.Ordinal);
        Assert.DoesNotContain(closed, b => (string?)b?["type"] == "actions");
        Assert.All(_web.Updates, u => Assert.NotNull(u.Body["metadata"]));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_round_post_known_by_its_key_is_shown_closed_as_not_run_without_its_button_and_nothing_posted()
    {
        var posted = await Platform.PostRoundAsync(Post([], closed: false), default);

        Assert.True(await Platform.CloseUnrecordedRoundAsync(NotRun(Post([], closed: true)), default));

        var update = Assert.Single(_web.Updates);
        Assert.Equal(SlackThread.Parse(posted.PostId)!.Value.Ts, update.Ts);
        var blocks = Json(update.Blocks!);
        Assert.Contains(NotRunLine, blocks, StringComparison.Ordinal);
        Assert.Contains("Design a feature store", blocks, StringComparison.Ordinal);
        Assert.DoesNotContain(update.Blocks!, b => (string?)b?["type"] == "actions");
        Assert.DoesNotContain("answers", blocks.Replace(NotRunLine, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.StartsWith("Not run:", update.Text, StringComparison.Ordinal);
        Assert.NotNull(update.Body["metadata"]);
        Assert.Single(_web.Messages(Study));
        Assert.DoesNotContain(_web.RequestLog, r => r.Method == "conversations.history");
        Assert.Empty(BlockKitRules.CheckMessageBlocks(update.Blocks));
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_round_post_whose_poster_died_before_recording_it_is_found_by_its_metadata_and_shown_closed_as_not_run()
    {
        await PostYesterdaysRoundAsync();
        _ledger.DieBeforeRecordingNext();
        await Assert.ThrowsAsync<OperationCanceledException>(() => Platform.PostRoundAsync(Post([], closed: false), default));
        _web.AddChatter(Study, 3);

        // A day on, past the deadline, the ledger has forgotten even the claim: the channel is read from the round's slot.
        _ledgerTime.Advance(TimeSpan.FromDays(1));

        Assert.True(await Platform.CloseUnrecordedRoundAsync(NotRun(Post([], closed: true)), default));

        var posts = _web.Messages(Study).Where(m => m.Blocks is not null).ToList();
        Assert.Equal(2, posts.Count);
        var update = Assert.Single(_web.Updates);
        Assert.Equal(posts[1].Ts, update.Ts);
        Assert.Contains(NotRunLine, Json(update.Blocks!), StringComparison.Ordinal);
        Assert.DoesNotContain(update.Blocks!, b => (string?)b?["type"] == "actions");
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_round_whose_post_never_reached_the_channel_has_nothing_shown_closed_and_nothing_posted()
    {
        await PostYesterdaysRoundAsync();

        Assert.False(await Platform.CloseUnrecordedRoundAsync(NotRun(Post([], closed: true)), default));

        Assert.Empty(_web.Updates);
        Assert.Single(_web.Messages(Study), m => m.Blocks is not null);
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public async Task A_channel_the_bot_was_removed_from_is_reported_gone()
    {
        _web.ChannelsWithoutBot = new HashSet<string>(StringComparer.Ordinal) { Study };

        await Assert.ThrowsAsync<StudyChannelGoneException>(() => Platform.PostRoundAsync(Post([], closed: false), default));
    }

    [Fact]
    public async Task A_channel_made_read_only_is_reported_as_refusing_posts_for_now_not_gone()
    {
        _web.ReadOnlyChannels = new HashSet<string>(StringComparer.Ordinal) { Study };

        var refused = await Assert.ThrowsAsync<StudyPostRefusedException>(() => Platform.PostRoundAsync(Post([], closed: false), default));

        Assert.Contains("restricted_action_read_only_channel", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_web.AllMessages);
    }

    [Fact]
    public async Task Private_feedback_goes_to_the_members_direct_messages_once_however_often_it_is_sent()
    {
        Mockingbird.Interview.Sessions.InterviewAction[] actions = [new Mockingbird.Interview.Sessions.PostMarkup("Your feedback on the daily question of <#C0STUDY01>:")];

        await Platform.PostPrivatelyAsync(Member, actions, "daily:r1:private:U0MEMBER", default);
        await Platform.PostPrivatelyAsync(Member, actions, "daily:r1:private:U0MEMBER", default);

        var message = Assert.Single(_web.AllMessages);
        Assert.Equal("D" + Member, message.Channel);
        Assert.Null(message.ThreadTs);
    }

    [Fact]
    public async Task The_answer_button_opens_the_empty_modal_within_the_read_budget_when_the_store_neither_answers_nor_heeds_its_token()
    {
        var clock = new TimerWatchingClock();
        var stalled = new TaskCompletionSource<DailyRound?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = new Mock<IStudyGroupStore>();
        store.Setup(s => s.FindRoundAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).Returns(stalled.Task);
        await using var services = BuildServices(services => services
            .Replace(ServiceDescriptor.Singleton<TimeProvider>(clock))
            .Replace(ServiceDescriptor.Singleton(store.Object)));
        _web.RegisterTrigger("trigger-while-redis-hangs");

        var clicking = services.GetRequiredService<SlackDailyQuestions>().AnswerButtonAsync("trigger-while-redis-hangs", $"slack:T1:{Study}:2026-11-30", Member, default);
        await clock.WaitForTimerAsync(FormReads.Budget);
        clock.Advance(FormReads.Budget);
        var said = await clicking.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        stalled.SetException(new TimeoutException("the store answered long after"));

        Assert.Null(said);
        var view = Assert.Single(_web.Views);
        Assert.Equal(SlackActions.DailyAnswerModal, (string?)view.View["callback_id"]);
        Assert.Empty(_web.Violations);
    }

    [Fact]
    public void The_answer_modal_holds_the_members_answer_so_far_and_the_round_it_answers()
    {
        var draft = new string('a', 2500) + " " + new string('b', 2000);

        var view = SlackDailyRenderer.AnswerModal("slack:T1:C0STUDY01:2025-03-01", "Design <@U0EVIL> a feature store", draft);
        var json = JsonSerializer.SerializeToNode(view, SlackJson.Default.View)!;

        Assert.Empty(BlockKitRules.CheckModal(json));
        Assert.Equal("slack:T1:C0STUDY01:2025-03-01", (string?)json["private_metadata"]);
        Assert.Equal(SlackActions.DailyAnswerModal, (string?)json["callback_id"]);
        Assert.Contains("&lt;@U0EVIL&gt;", Json(json["blocks"]![0]!), StringComparison.Ordinal);
        var prefilled = json["blocks"]!.AsArray().Select(b => (string?)b?["element"]?["initial_value"]).OfType<string>().ToList();
        Assert.Equal(draft, Mockingbird.Chat.AnswerForm.Answer(prefilled).Replace("\n\n", " ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rounds_post_deleted_by_a_moderator_does_not_stop_the_channels_schedule()
    {
        var store = _services.GetRequiredService<IStudyGroupStore>();
        var rounds = _services.GetRequiredService<DailyRounds>();
        var now = RoundDay;
        await store.SaveScheduleAsync(new DailySchedule(Channel, new TimeOnly(9, 0), "UTC", DailyFocus.Any, TimeSpan.FromHours(24), null, Admin, now), default);
        var slot = new DailySlot(now, DateOnly.FromDateTime(now.UtcDateTime));
        var round = new DailyRound(DailyRound.IdOf(Channel, slot.Id), Channel, slot, now.AddHours(24), "theory-bias-variance-diagnosis", RoundState.Posting);
        await store.ClaimRoundAsync(round, default);

        // The post (and so its thread's parent) was deleted after it was made: its ts names no message any more.
        await store.MarkPostedAsync(round.Id, $"{Study}/1700000000.000100", $"{Study}/1700000000.000100", default);
        await rounds.CloseAsync(round with { State = RoundState.Open }, default);

        Assert.NotNull(await store.FindScheduleAsync(Channel.Key, default));
    }

    /// <summary>A fixed day for rounds these tests build by hand: nothing here depends on when it runs.</summary>
    private static readonly DateTimeOffset RoundDay = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private SlackDailyAccess Access(string user) => new(Web, user, NullLogger.Instance);

    private static string PostKey(RoundPost post) => $"daily:{post.Round.Id}:post";

    private static RoundPost NotRun(RoundPost post) => post with { NotRun = NotRunLine };

    private static RoundPost Post(IReadOnlyList<string> answerers, bool closed)
    {
        var at = RoundDay;
        var slot = new DailySlot(at, DateOnly.FromDateTime(at.UtcDateTime));
        var round = new DailyRound(DailyRound.IdOf(Channel, slot.Id), Channel, slot, at.AddHours(24), "q1", RoundState.Posting);
        return new RoundPost(round, "Daily question · System design", "Design a feature store. <@U0EVIL> <!channel>", answerers, closed);
    }

    private static string ButtonValue(JsonArray blocks, string actionId) =>
        blocks.SelectMany(block => block?["elements"]?.AsArray() ?? []).Single(element => (string?)element?["action_id"] == actionId)!["value"]!.GetValue<string>();

    private async Task SendAsync(string type, JsonObject payload)
    {
        var handler = _services.GetRequiredService<ISlackEnvelopeHandler>();
        var receipt = await handler.ReceiveAsync(new SlackEnvelope(SlackEvents.NextId("env-"), type, JsonSerializer.SerializeToElement(payload), false, null, null), default);
        Assert.Equal(SlackReceiptOutcome.Accepted, receipt.Outcome);
        if (receipt.Then is { } then)
        {
            await then(default);
        }

        Assert.Empty(_web.Violations);
    }

    /// <summary>Yesterday's round, posted and recorded, under some chatter: the bot's own post a search must pass over.</summary>
    private async Task PostYesterdaysRoundAsync()
    {
        var yesterday = Post([], closed: false);
        yesterday = yesterday with { Round = yesterday.Round with { Id = DailyRound.IdOf(Channel, "2026-12-02") } };
        await Platform.PostRoundAsync(yesterday, default);
        _web.AddChatter(Study, 3);
    }
}
