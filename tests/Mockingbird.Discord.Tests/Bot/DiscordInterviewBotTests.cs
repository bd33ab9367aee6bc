using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Ratings;
using Mockingbird.Chat.Threads;
using Mockingbird.Discord.Gateway;
using Mockingbird.Discord.Rest;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Bot;

/// <summary>
/// The bot's mapping of Discord events onto the interview, driven directly (no gateway) against the fake Discord
/// API with the in-memory store and queued judging, as in the bot host.
/// </summary>
public sealed class DiscordInterviewBotTests : IAsyncLifetime
{
    private const string Token = "bot-token-for-mapping-tests";
    private const string Candidate = DiscordEvents.Candidate;
    private const string Bystander = DiscordEvents.Bystander;

    private const string Answer =
        "I would clarify the requirements and scope first, then look at the data, the labels and the model, serve it behind a cache " +
        "and monitor drift, latency and cost, with an offline evaluation and an A/B test, weighing the trade-offs.";

    /// <summary>The bot's clock and the fake Discord's: one, so message and interaction times agree.</summary>
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));

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

    private DiscordInterviewBot Bot => _services.GetRequiredService<DiscordInterviewBot>();

    private IInterviewThreads Threads => _services.GetRequiredService<IInterviewThreads>();

    private DiscordThreadCatchUp CatchUp => _services.GetRequiredService<DiscordThreadCatchUp>();

    /// <summary>A catch-up as the gateway starts one: at the start of a new session.</summary>
    private Task CatchUpAfterReconnectAsync()
    {
        _services.GetRequiredService<GatewaySessions>().Began();
        return CatchUp.CatchUpAsync(default);
    }

    [Fact]
    public async Task A_start_opens_a_private_thread_adds_the_candidate_and_posts_the_first_question_there()
    {
        var thread = await StartAsync();

        var created = Assert.Single(_api.Threads);
        Assert.Equal((12, DiscordEvents.Channel), (created.Type, created.ParentId));
        Assert.Contains(_api.ThreadMembers, m => m.ThreadId == thread && m.UserId == Candidate);
        Assert.True(Posted(thread, "Question 1 of 1"));
        Assert.Equal(thread, await Threads.FindAsync(DiscordInterviewBot.CandidateOf(Candidate), default));
    }

    [Fact]
    public async Task A_command_in_a_channel_where_the_bot_lacks_read_message_history_warns_once_naming_the_channel()
    {
        var logs = new RecordingLoggerProvider();
        await using var services = DiscordBotServices.Build(_api, Token, _clock, s => s.AddLogging(builder => builder.AddProvider(logs)));
        var bot = services.GetRequiredService<DiscordInterviewBot>();
        var withoutHistory = (BigInteger.Parse(DiscordEvents.InvitePermissions, CultureInfo.InvariantCulture) & ~(BigInteger.One << 16)).ToString(CultureInfo.InvariantCulture);

        await bot.CompleteAsync(Registered(DiscordEvents.Command("history")).Parsed, default);
        Assert.DoesNotContain(logs.Entries, entry => entry.Contains("Read Message History", StringComparison.Ordinal));
        // Used in the channel, then in one of its threads: one warning, naming the channel, where it can be granted.
        foreach (var interaction in new[] { DiscordEvents.Command("history"), DiscordEvents.Command("progress", channel: "1000000000000000099", inThread: true) })
        {
            interaction.Body["app_permissions"] = withoutHistory;
            await bot.CompleteAsync(Registered(interaction).Parsed, default);
        }

        var warning = Assert.Single(logs.Entries, entry => entry.Contains("Read Message History", StringComparison.Ordinal));
        Assert.Contains($"channel {DiscordEvents.Channel}", warning, StringComparison.Ordinal);
    }

    private FakeInteraction Registered(FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel, answeredInline: true);
        return interaction;
    }

    [Fact]
    public async Task A_private_thread_refused_by_the_server_becomes_a_public_thread()
    {
        _api.PrivateThreadsAllowed = false;

        var reply = await CompleteAsync(DiscordEvents.Start("system-design", 1));
        var thread = _api.Threads[^1].Id;

        Assert.Contains("a public thread", reply, StringComparison.Ordinal);
        Assert.Equal(11, _api.Threads.Single(t => t.Id == thread).Type);
        Assert.Contains(_api.ThreadMembers, m => m.ThreadId == thread && m.UserId == Candidate);
        Assert.True(Posted(thread, "Question 1 of 1"));
    }

    [Fact]
    public async Task A_start_used_inside_a_thread_opens_the_interview_beside_it_in_the_parent_channel()
    {
        var start = DiscordEvents.Command("start", Candidate, "1000000000000000099", new JsonArray(new JsonObject { ["name"] = "plan", ["type"] = 3, ["value"] = "theory" }), inThread: true);

        await CompleteAsync(start);

        Assert.Equal(DiscordEvents.Channel, Assert.Single(_api.Threads).ParentId);
    }

    [Fact]
    public async Task A_start_from_a_thread_named_only_by_its_id_opens_the_interview_in_the_parent_channel()
    {
        const string UsedIn = "1000000000000000099";
        _api.AddChannel(UsedIn, 11, DiscordEvents.Channel);
        var start = DiscordEvents.Command("start", Candidate, UsedIn, new JsonArray(new JsonObject { ["name"] = "plan", ["type"] = 3, ["value"] = "theory" }), inThread: true);
        start.Body.Remove("channel");

        var reply = await CompleteAsync(start);

        Assert.Equal(DiscordEvents.Channel, Assert.Single(_api.Threads).ParentId);
        Assert.Contains("ready in", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_from_a_channel_that_cannot_be_read_opens_no_thread_and_says_where_to_continue()
    {
        var start = DiscordEvents.Command("start", Candidate, "1000000000000000098", new JsonArray(new JsonObject { ["name"] = "plan", ["type"] = 3, ["value"] = "theory" }), inThread: true);
        start.Body.Remove("channel");

        var reply = await CompleteAsync(start);

        Assert.Empty(_api.Threads);
        Assert.Equal(DiscordInterviewBot.NoPlaceForThread, reply);
    }

    [Fact]
    public async Task A_thread_whose_candidate_cannot_be_added_is_deleted_and_starts_nothing_so_starting_again_leaves_one_live_thread()
    {
        _api.FailNext(1, 403, FakeDiscordApi.RouteIs("PUT /channels/{thread}/thread-members/{user}"), code: 50001, message: "Missing Access");

        var failed = await CompleteAsync(DiscordEvents.Start("theory", 1));
        var nothingToResume = await CompleteAsync(DiscordEvents.Command("resume"));
        var started = await CompleteAsync(DiscordEvents.Start("theory", 1));

        Assert.StartsWith("Something went wrong on our side", failed, StringComparison.Ordinal);
        Assert.Contains("no interview in progress", nothingToResume, StringComparison.Ordinal);
        var live = Assert.Single(_api.Threads, t => !_api.DeletedChannels.Contains(t.Id));
        Assert.Equal(2, _api.Threads.Count);
        Assert.Contains($"<#{live.Id}>", started, StringComparison.Ordinal);
        Assert.Contains(_api.ThreadMembers, m => m.ThreadId == live.Id && m.UserId == Candidate);
        Assert.True(Posted(live.Id, "Question 1 of 1"));
    }

    [Fact]
    public async Task A_second_start_points_at_the_interview_already_running_instead_of_opening_another_thread()
    {
        var thread = await StartAsync();

        var reply = await CompleteAsync(DiscordEvents.Start("theory", 1));

        Assert.Single(_api.Threads);
        Assert.Contains("already have an interview in progress", reply, StringComparison.Ordinal);
        Assert.Contains($"<#{thread}>", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_replayed_by_the_gateway_is_answered_and_judged_once()
    {
        var thread = await StartAsync();
        var message = DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, Answer));

        await Bot.HandleMessageAsync(message, default);
        await Bot.HandleMessageAsync(message, default);
        await JudgeEverythingAsync();

        Assert.Equal(message.Id, Assert.Single(_api.Reactions).MessageId);
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
    }

    [Fact]
    public async Task Two_messages_written_while_the_bot_was_away_are_taken_in_the_order_they_were_written()
    {
        var thread = await StartAsync("theory", 2);
        var first = _api.WriteMessage(thread, Candidate, Answer);
        var second = _api.WriteMessage(thread, Candidate, "And one more thing about the trade-offs.");

        await CatchUpAfterReconnectAsync();

        Assert.Equal((string)first["id"]!, Assert.Single(_api.Reactions).MessageId);
        Assert.True(Posted(thread, "is still being judged"));
        Assert.NotEqual((string)second["id"]!, _api.Reactions[0].MessageId);
    }

    [Fact]
    public async Task A_live_answer_taken_before_its_thread_is_caught_up_on_does_not_let_the_catch_up_skip_what_came_before()
    {
        var thread = await StartAsync("theory", 2);
        var writtenWhileAway = _api.WriteMessage(thread, Candidate, Answer);

        // A new gateway session: the live message is handled before the catch-up has read the thread.
        _services.GetRequiredService<GatewaySessions>().Began();
        var live = _api.WriteMessage(thread, Candidate, "A second answer, written after the bot came back.");
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(live), default);
        await JudgeEverythingAsync();
        await CatchUpAfterReconnectAsync();

        Assert.Contains(_api.Reactions, r => r.MessageId == (string)writtenWhileAway["id"]!);
        Assert.Contains(_api.Reactions, r => r.MessageId == (string)live["id"]!);
    }

    [Theory]
    [InlineData("⚠️")]
    [InlineData("\u26A0")]
    public async Task A_message_the_bot_marked_as_not_saved_is_passed_over_by_a_catch_up_even_after_a_restart(string emojiAsDiscordGivesItBack)
    {
        var thread = await StartAsync();
        var notSaved = _api.WriteMessage(thread, Candidate, Answer);
        await _services.GetRequiredService<IDiscordRest>().AddReactionAsync(thread, (string)notSaved["id"]!, emojiAsDiscordGivesItBack, default);

        await CatchUpAfterReconnectAsync();

        Assert.DoesNotContain(_api.Reactions, r => r.MessageId == (string)notSaved["id"]! && r.Emoji == "✅");
        Assert.False(Posted(thread, "Feedback on question 1"));
    }

    [Fact]
    public async Task A_live_message_in_a_thread_not_yet_caught_up_on_waits_for_what_was_written_there_before_it()
    {
        var thread = await StartAsync("theory", 2);
        var writtenWhileAway = _api.WriteMessage(thread, Candidate, Answer);
        _services.GetRequiredService<GatewaySessions>().Began();
        var live = _api.WriteMessage(thread, Candidate, "A second answer, written after the bot came back.");

        await _services.GetRequiredService<IGatewayDispatchHandler>().HandleAsync(new GatewayDispatch("MESSAGE_CREATE", JsonSerializer.SerializeToElement(live), 7), default);

        Assert.Contains(_api.Reactions, r => r.MessageId == (string)writtenWhileAway["id"]! && r.Emoji == "✅");
        Assert.DoesNotContain(_api.Reactions, r => r.MessageId == (string)live["id"]! && r.Emoji == "✅");
        Assert.True(Posted(thread, "is still being judged"));
    }

    [Fact]
    public async Task A_message_caught_up_on_and_then_delivered_by_the_gateway_is_taken_once()
    {
        var thread = await StartAsync();
        var written = _api.WriteMessage(thread, Candidate, Answer);

        await CatchUpAfterReconnectAsync();
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(written), default);
        await JudgeEverythingAsync();
        await CatchUpAfterReconnectAsync();

        Assert.Single(_api.Reactions);
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
        Assert.False(Posted(thread, "still being judged"));
    }

    [Fact]
    public async Task Catching_up_reads_page_after_page_up_to_an_answer_behind_more_than_a_hundred_messages()
    {
        var thread = await StartAsync();
        for (var i = 0; i < 150; i++)
        {
            _api.WriteMessage(thread, Bystander, $"chatter {i}");
        }

        var answer = _api.WriteMessage(thread, Candidate, Answer);

        await CatchUpAfterReconnectAsync();
        await CatchUpAfterReconnectAsync();

        Assert.Equal((string)answer["id"]!, Assert.Single(_api.Reactions).MessageId);
        var reads = _api.RequestLog.Where(r => r.Route == "GET /channels/{channel}/messages").ToList();
        Assert.Equal(3, reads.Count);
        Assert.Empty(_api.Violations);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public async Task Only_the_shard_that_receives_a_servers_events_catches_up_its_threads(int shardId, bool readsTheThread)
    {
        var thread = await StartAsync();
        _api.WriteMessage(thread, Candidate, Answer);
        var shard = ActivatorUtilities.CreateInstance<DiscordThreadCatchUp>(
            _services,
            Microsoft.Extensions.Options.Options.Create(new DiscordOptions { BotToken = Token, ApplicationId = DiscordEvents.ApplicationId, ShardId = shardId, ShardCount = 2 }));

        _services.GetRequiredService<GatewaySessions>().Began();
        await shard.CatchUpAsync(default);

        Assert.Equal(readsTheThread, _api.RequestLog.Any(r => r.Route == "GET /channels/{channel}/messages"));
        Assert.Equal(readsTheThread ? 1 : 0, _api.Reactions.Count);
    }

    [Fact]
    public async Task A_thread_deleted_while_the_bot_was_away_is_let_go_of_when_catching_up()
    {
        var thread = await StartAsync();
        var known = _services.GetRequiredService<InterviewThreadCache>();
        Assert.Equal(DiscordInterviewBot.CandidateOf(Candidate), known.CandidateOf(thread));
        _api.DeleteChannel(thread);

        await CatchUpAfterReconnectAsync();

        Assert.Null(await Threads.FindAsync(DiscordInterviewBot.CandidateOf(Candidate), default));
        Assert.Null(known.CandidateOf(thread));
    }

    [Fact]
    public async Task A_thread_found_deleted_when_catching_up_leaves_alone_a_newer_one_the_candidate_got_meanwhile()
    {
        var thread = await StartAsync();
        var candidate = DiscordInterviewBot.CandidateOf(Candidate);
        _api.FailNext(status: 404, code: 10003, message: "Unknown Channel", when: request =>
        {
            var readingTheOldThread = request.Method == "GET" && request.Path.Value == $"/api/v10/channels/{thread}/messages";
            if (readingTheOldThread)
            {
                // Another replica opens the candidate a new thread while this one reads the old: the in-memory store
                // completes at once.
                Assert.True(Threads.SetAsync(candidate, "newer-thread", default).IsCompletedSuccessfully);
            }

            return readingTheOldThread;
        });

        await CatchUpAfterReconnectAsync();

        Assert.Equal("newer-thread", await Threads.FindAsync(candidate, default));
        Assert.Contains(_api.RequestLog, r => r.Route == "GET /channels/{channel}/messages");
    }

    [Fact]
    public async Task Without_permission_to_react_the_answer_is_still_taken_and_the_candidate_told_in_words()
    {
        var thread = await StartAsync();
        _api.ReactionsAllowed = false;

        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, Answer)), default);
        await JudgeEverythingAsync();

        Assert.True(Posted(thread, "Answer recorded"));
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
    }

    [Fact]
    public async Task A_form_submission_delivered_twice_is_taken_once_and_the_second_reply_says_so()
    {
        var thread = await StartAsync();
        var form = DiscordEvents.FormAnswer(thread, Candidate, Answer);

        await CompleteAsync(form);
        var again = await CompleteAsync(form);
        await JudgeEverythingAsync();

        Assert.Contains("sent already", again, StringComparison.Ordinal);
        Assert.Equal(1, Count(thread, "Your answer"));
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
    }

    [Fact]
    public async Task Messages_from_anyone_else_or_elsewhere_are_not_answers()
    {
        var thread = await StartAsync();
        var before = _api.AllMessages.Count;

        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Bystander, Answer)), default);
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(DiscordEvents.Channel, Candidate, Answer)), default);
        var fromBot = DiscordEvents.Message(thread, Candidate, Answer);
        fromBot["author"]!["bot"] = true;
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(fromBot), default);

        Assert.Equal(before, _api.AllMessages.Count);
    }

    [Fact]
    public async Task Someone_elses_click_on_interview_buttons_changes_nothing_and_says_whose_they_are()
    {
        var thread = await StartAsync();
        var before = _api.Messages(thread).Count;

        var reply = await CompleteAsync(DiscordEvents.Component(thread, Bystander, "mb:skip:1:"));

        Assert.Contains("someone else's interview", reply, StringComparison.Ordinal);
        Assert.Equal(before, _api.Messages(thread).Count);
    }

    [Fact]
    public async Task The_hint_button_posts_a_hint_in_the_thread_and_the_reply_points_there()
    {
        var thread = await StartAsync();

        var reply = await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:hint:1:"));

        Assert.True(Posted(thread, "Hint 1/"));
        Assert.Contains($"<#{thread}>", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_double_click_on_the_hint_button_shows_one_hint_and_the_next_comes_from_the_button_under_it()
    {
        var thread = await StartAsync();
        var question = _api.Messages(thread).Last(m => Content(m).Contains("Question 1 of 1", StringComparison.Ordinal));
        var hintButton = ButtonIds(question).Single(id => id.StartsWith("mb:hint:", StringComparison.Ordinal));

        await CompleteAsync(DiscordEvents.Component(thread, Candidate, hintButton, question.Id));
        var second = await CompleteAsync(DiscordEvents.Component(thread, Candidate, hintButton, question.Id));

        Assert.Contains("Hint 1 was shown already", second, StringComparison.Ordinal);
        Assert.Equal(1, Count(thread, "Hint 1/2"));
        Assert.Equal(0, Count(thread, "Hint 2/2"));

        var hint = _api.Messages(thread).Single(m => Content(m).Contains("Hint 1/2", StringComparison.Ordinal));
        await CompleteAsync(DiscordEvents.Component(thread, Candidate, Assert.Single(ButtonIds(hint)), hint.Id));
        Assert.Equal(1, Count(thread, "Hint 2/2"));
    }

    [Fact]
    public async Task An_interaction_replayed_after_its_three_seconds_is_not_answered_but_a_fresh_one_is()
    {
        var handler = _services.GetRequiredService<IGatewayDispatchHandler>();
        var fresh = DiscordEvents.MadeAt(DiscordEvents.Start("theory", 1), _clock.GetUtcNow() - TimeSpan.FromSeconds(2));
        var replayed = DiscordEvents.MadeAt(DiscordEvents.Start("theory", 1), _clock.GetUtcNow() - TimeSpan.FromSeconds(4));
        _api.RegisterInteraction(fresh.Id, fresh.Token, DiscordEvents.Channel);
        _api.RegisterInteraction(replayed.Id, replayed.Token, DiscordEvents.Channel);

        await handler.HandleAsync(new GatewayDispatch("INTERACTION_CREATE", JsonSerializer.SerializeToElement(replayed.Body), 1), default);
        await handler.HandleAsync(new GatewayDispatch("INTERACTION_CREATE", JsonSerializer.SerializeToElement(fresh.Body), 2), default);

        Assert.DoesNotContain(_api.Callbacks, c => c.InteractionId == replayed.Id);
        Assert.Contains(_api.Callbacks, c => c.InteractionId == fresh.Id);
    }

    [Fact]
    public async Task A_second_click_of_skip_does_not_skip_the_next_question_too()
    {
        var thread = await StartAsync("theory", 3);

        await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:skip:1:"));
        var second = await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:skip:1:"));

        Assert.Contains("earlier question, so nothing was done", second, StringComparison.Ordinal);
        Assert.True(Posted(thread, "Question 2 of 3"));
        Assert.False(Posted(thread, "Question 3 of 3"));
    }

    [Fact]
    public async Task A_long_form_answer_that_is_not_taken_is_handed_back_whole_in_private_replies()
    {
        var thread = await StartAsync("theory", 3);
        await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:skip:1:"));
        var answer = string.Join("\n\n", Enumerable.Range(1, 30).Select(i => $"Paragraph {i} about attention and @everyone: " + new string('x', 250)));

        var late = DiscordEvents.FormAnswer(thread, Candidate, answer, question: 1);
        var reply = await CompleteAsync(late);
        var followups = _api.Followups.Where(f => f.Token == late.Token).Select(f => f.Body).ToList();

        Assert.Contains("earlier question", reply, StringComparison.Ordinal);
        Assert.NotEmpty(followups);
        Assert.All(followups, f => Assert.Equal(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds, f["flags"]!.GetValue<int>()));
        var handedBack = reply + string.Concat(followups.Select(f => f["content"]!.GetValue<string>()));
        Assert.All(Enumerable.Range(1, 30), i => Assert.Contains($"Paragraph {i} about attention and @everyone", handedBack, StringComparison.Ordinal));
        Assert.False(Posted(thread, "Your answer"));
    }

    [Fact]
    public async Task A_message_with_only_a_file_is_answered_with_how_to_send_a_long_answer()
    {
        var thread = await StartAsync();
        var message = DiscordEvents.Message(thread, Candidate, string.Empty);
        message["attachments"] = new JsonArray(new JsonObject { ["id"] = "9", ["filename"] = "message.txt" });

        await Bot.HandleMessageAsync(DiscordEvents.Parsed(message), default);

        Assert.True(Posted(thread, "Answer in a form"));
        Assert.Empty(_api.Reactions);
    }

    [Fact]
    public async Task An_ended_interview_lets_go_of_its_thread_so_later_messages_there_are_not_answers()
    {
        var thread = await StartAsync();

        await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:end"));
        var before = _api.Messages(thread).Count;
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, "Thanks, that was useful!")), default);

        Assert.True(Posted(thread, "Scorecard"));
        Assert.Null(await Threads.FindAsync(DiscordInterviewBot.CandidateOf(Candidate), default));
        Assert.Equal(before, _api.Messages(thread).Count);
    }

    [Fact]
    public async Task A_thread_deleted_in_discord_is_forgotten_and_resume_continues_in_a_new_one()
    {
        var thread = await StartAsync();
        _api.DeleteChannel(thread);

        var failed = await CompleteAsync(DiscordEvents.Component(thread, Candidate, "mb:hint:1:"));
        var resumed = await CompleteAsync(DiscordEvents.Command("resume"));

        Assert.Contains("/mock resume", failed, StringComparison.Ordinal);
        var second = Assert.Single(_api.Threads, t => t.Id != thread).Id;
        Assert.Contains($"<#{second}>", resumed, StringComparison.Ordinal);
        Assert.True(Posted(second, "Question 1 of 1"));
    }

    [Fact]
    public async Task A_thread_deleted_while_its_answer_was_judged_is_followed_on_resume_by_a_brief_of_that_judgement()
    {
        var thread = await StartAsync(questions: 2);
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, Answer)), default);
        _api.DeleteChannel(thread);
        await JudgeEverythingAsync();

        await CompleteAsync(DiscordEvents.Command("resume"));

        var second = Assert.Single(_api.Threads, t => t.Id != thread).Id;
        Assert.True(Posted(second, "Your last judged answer (question 1) scored"));
        Assert.True(Posted(second, "Follow-up 1 on question 1"));
    }

    [Fact]
    public async Task A_form_answer_is_shown_in_the_thread_then_acknowledged_and_judged()
    {
        var thread = await StartAsync();

        var reply = await CompleteAsync(DiscordEvents.FormAnswer(thread, Candidate, Answer + " @everyone"));
        await JudgeEverythingAsync();

        var contents = _api.Messages(thread).Select(m => m.Body["content"]!.GetValue<string>()).ToList();
        var echo = contents.FindIndex(c => c.Contains("Your answer", StringComparison.Ordinal));
        Assert.True(echo >= 0);
        Assert.Contains("@\u200Beveryone", contents[echo], StringComparison.Ordinal);
        Assert.Contains("Answer saved", reply, StringComparison.Ordinal);
        Assert.True(contents.FindIndex(c => c.Contains("Feedback on question 1", StringComparison.Ordinal)) > echo);
        Assert.Equal(1, Count(thread, "Feedback on question 1"));
    }

    [Fact]
    public async Task Resume_after_the_thread_is_gone_opens_a_new_thread_with_the_current_question()
    {
        var first = await StartAsync();
        await Threads.RemoveAsync(DiscordInterviewBot.CandidateOf(Candidate), default);

        var reply = await CompleteAsync(DiscordEvents.Command("resume"));

        var second = Assert.Single(_api.Threads, t => t.Id != first).Id;
        Assert.Contains($"<#{second}>", reply, StringComparison.Ordinal);
        Assert.True(Posted(second, "Question 1 of 1"));
    }

    [Fact]
    public async Task Forget_me_deletes_the_session_and_the_thread_and_says_what_it_deleted()
    {
        await StartAsync();

        var reply = await CompleteAsync(DiscordEvents.Command("forget-me"));
        var hint = await CompleteAsync(DiscordEvents.Command("hint"));

        Assert.Contains("Deleted: 1 interview(s) in progress", reply, StringComparison.Ordinal);
        Assert.Null(await Threads.FindAsync(DiscordInterviewBot.CandidateOf(Candidate), default));
        Assert.Contains("no interview in progress", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_repeated_by_a_second_worker_posts_each_message_once()
    {
        var thread = await StartAsync();
        var output = _services.GetRequiredService<IInterviewOutput>();
        IReadOnlyList<InterviewAction> actions = [new PostNotice("first part"), new PostQuestion(2, 3, Interview.Questions.Stage.Theory, "q", "What is attention?", null, false)];

        await output.DeliverAsync(DiscordInterviewBot.CandidateOf(Candidate), actions, "session:7", default);
        var afterFirst = _api.Messages(thread).Count;
        await output.DeliverAsync(DiscordInterviewBot.CandidateOf(Candidate), actions, "session:7", default);

        Assert.Equal(afterFirst, _api.Messages(thread).Count);
        Assert.True(Posted(thread, "What is attention?"));
    }

    [Fact]
    public async Task A_command_that_fails_on_our_side_is_answered_with_a_plain_apology_and_no_details()
    {
        _api.FailNext(10, 500, FakeDiscordApi.RouteIs("POST /channels/{channel}/threads"));

        var reply = await CompleteAsync(DiscordEvents.Start("theory", 1));

        Assert.StartsWith("Something went wrong on our side", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("500", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ratings_count_once_per_person_for_the_judge_that_wrote_the_feedback_and_a_repeat_click_is_told_so()
    {
        var thread = await StartAsync();
        await Bot.HandleMessageAsync(DiscordEvents.Parsed(DiscordEvents.Message(thread, Candidate, Answer)), default);
        await JudgeEverythingAsync();
        var feedback = Assert.Single(_api.Messages(thread), m => m.Body.ToJsonString().Contains("mb:rate:up:", StringComparison.Ordinal));
        var rateUp = feedback.Body["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>();

        var first = await CompleteAsync(DiscordEvents.Component(thread, Candidate, rateUp, feedback.Id));
        var again = await CompleteAsync(DiscordEvents.Component(thread, Candidate, rateUp, feedback.Id));
        await CompleteAsync(DiscordEvents.Component(thread, Bystander, rateUp.Replace(":up:", ":down:", StringComparison.Ordinal), feedback.Id));

        Assert.Matches("^mb:rate:up:offline-rubric\\|[0-9a-f]{8}$", rateUp);
        Assert.StartsWith("Thanks", first, StringComparison.Ordinal);
        Assert.Contains("already", again, StringComparison.Ordinal);
        Assert.Equal([new ArmRatings("offline-rubric", 1, 1)], await _services.GetRequiredService<IFeedbackRatings>().SummaryAsync(default));
    }

    [Fact]
    public async Task A_rating_whose_button_names_an_arm_we_never_write_counts_for_an_unknown_arm()
    {
        var thread = await StartAsync();

        var reply = await CompleteAsync(DiscordEvents.Component(thread, Bystander, "mb:rate:up:<@123>", DiscordEvents.NextId()));

        Assert.StartsWith("Thanks", reply, StringComparison.Ordinal);
        Assert.Equal([new ArmRatings(FeedbackArm.Unknown, 1, 0)], await _services.GetRequiredService<IFeedbackRatings>().SummaryAsync(default));
    }

    private async Task<string> StartAsync(string plan = "system-design", int questions = 1)
    {
        await CompleteAsync(DiscordEvents.Start(plan, questions));
        return _api.Threads[^1].Id;
    }

    /// <summary>Runs an interaction as the endpoint would after answering it inline, and returns the final reply.</summary>
    private async Task<string> CompleteAsync(FakeInteraction interaction)
    {
        _api.RegisterInteraction(interaction.Id, interaction.Token, DiscordEvents.Channel, answeredInline: true);
        await Bot.CompleteAsync(interaction.Parsed, default);
        var edit = _api.OriginalEdits.Last(e => e.Token == interaction.Token);
        Assert.Empty(_api.Violations);
        return edit.Body["content"]!.GetValue<string>();
    }

    private async Task JudgeEverythingAsync()
    {
        var worker = _services.GetRequiredService<JudgingWorker>();
        while (await worker.RunOnceAsync("test-worker", 16, default) > 0)
        {
        }
    }

    private bool Posted(string channel, string text) => Count(channel, text) > 0;

    private static string Content(PostedMessage message) => message.Body["content"]?.GetValue<string>() ?? string.Empty;

    private static IEnumerable<string> ButtonIds(PostedMessage message) =>
        (message.Body["components"]?.AsArray() ?? []).SelectMany(row => row?["components"]?.AsArray() ?? [])
            .Select(button => button?["custom_id"]?.GetValue<string>()).OfType<string>();

    private int Count(string channel, string text) =>
        _api.Messages(channel).Count(m => (m.Body["content"]?.GetValue<string>() ?? string.Empty).Contains(text, StringComparison.Ordinal));
}
