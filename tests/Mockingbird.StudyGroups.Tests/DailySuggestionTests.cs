using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.StudyGroups.Suggestions;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>Members suggest questions for their channel; admins approve them into the channel's own pool.</summary>
public sealed class DailySuggestionTests : IDisposable
{
    private const string ChunkingQuestion = """
        id: rag-chunking
        stage: theory
        topics: [rag-chunking]
        levels: [mid, senior]
        tracks: [applied]
        prompt: How would you choose the chunk size of a retrieval-augmented generation system, and how would you know it was right?
        rubric:
          - point: Smaller chunks retrieve precisely but lose context, while larger ones keep context but dilute relevance
            evidence: [smaller chunks, lose context, dilute]
          - point: Overlap between chunks keeps sentences that straddle a boundary retrievable
            evidence: [overlap, boundary]
          - point: The size is chosen by measuring retrieval recall on a labelled evaluation set
            evidence: [recall, evaluation set]
        follow_ups: [What changes for code instead of prose?]
        """;

    private const string StrongAnswer =
        "Smaller chunks retrieve precisely but lose context, because a chunk holds less of the surrounding text. " +
        "I add overlap so that a sentence which straddles a boundary can still be retrieved. " +
        "I choose the size by measuring recall on an evaluation set, since that shows which size finds the right passages.";

    private readonly StudyGroupWorld _world = new(new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero));
    private readonly IDailyAccess _admin = StudyGroupWorld.Access(mayManage: true);
    private readonly IDailyAccess _member = StudyGroupWorld.Access(mayManage: false);

    private static string ChannelKey => StudyGroupWorld.Channel.Key;

    [Fact]
    public async Task A_suggestion_in_the_banks_schema_with_mistakes_is_refused_with_each_problem_and_its_line()
    {
        var broken = ChunkingQuestion.Replace("stage: theory", "stage: theroy", StringComparison.Ordinal).Replace("tracks: [applied]", "tracks: [applied]\nfavourite: yes", StringComparison.Ordinal);

        var reply = await RunAsync(_member, new DailyCommand.Suggest(broken));

        Assert.Contains("line 2: question 'rag-chunking': unknown stage 'theroy'", reply, StringComparison.Ordinal);
        Assert.Contains("line 6: unknown field 'favourite'", reply, StringComparison.Ordinal);
        Assert.Contains("nothing was kept", reply, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
    }

    [Fact]
    public async Task A_valid_suggestion_in_the_banks_schema_waits_for_an_admin_under_a_short_id()
    {
        var reply = await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));

        Assert.StartsWith("Suggested as s1: a theory question", reply, StringComparison.Ordinal);
        Assert.Contains("/mock daily approve s1", reply, StringComparison.Ordinal);
        var waiting = Assert.Single(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
        Assert.Equal(("s1", "m-1", false), (waiting.Id, waiting.MemberId, waiting.IsFreeText));
        var listed = await RunAsync(_admin, new DailyCommand.Suggestions(null));
        Assert.Contains("s1 by @m-1 · theory · rag-chunking: “How would you choose the chunk size", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_in_the_banks_schema_on_one_line_as_a_slash_command_sends_it_is_read_as_a_question()
    {
        const string OneLine = "{id: rag-chunking, stage: theory, topics: [rag-chunking], levels: [mid], tracks: [applied], prompt: 'How big should a chunk be?', " +
            "rubric: [{point: Smaller chunks lose context, evidence: [smaller chunks, lose context]}, {point: Overlap keeps boundary sentences, evidence: [overlap, boundary]}, " +
            "{point: Recall on an evaluation set decides, evidence: [recall, evaluation set]}], follow_ups: ['What about code?']}";

        var reply = await RunAsync(_member, new DailyCommand.Suggest(OneLine));

        Assert.StartsWith("Suggested as s1: a theory question, “How big should a chunk be?”", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Free_text_is_kept_as_a_question_of_the_pinned_stage_and_cannot_be_approved_until_written_up_with_a_rubric()
    {
        await _world.SetScheduleAsync("09:00", "Europe/Berlin", focus: new DailyFocus(Stage.Design));

        var reply = await RunAsync(_member, new DailyCommand.Suggest("How would you design a feature store for real-time fraud scoring?"));
        var approval = await RunAsync(_admin, new DailyCommand.Approve("s1", null));

        Assert.Contains("Kept as s1, a free-text system design question", reply, StringComparison.Ordinal);
        Assert.Contains("no rubric", approval, StringComparison.Ordinal);
        Assert.Equal(Stage.Design, Assert.Single(await _world.Store.PendingSuggestionsAsync(ChannelKey, default)).FreeTextStage);
        Assert.Empty(await _world.Store.PoolAsync(ChannelKey, default));
    }

    [Fact]
    public async Task Free_text_in_a_channel_with_nothing_pinned_is_a_theory_question()
    {
        await RunAsync(_member, new DailyCommand.Suggest("Why does layer norm help transformers train?"));

        Assert.Equal(Stage.Theory, Assert.Single(await _world.Store.PendingSuggestionsAsync(ChannelKey, default)).FreeTextStage);
    }

    [Fact]
    public async Task Empty_and_oversize_suggestions_are_refused_clearly_and_nothing_is_kept()
    {
        var empty = await RunAsync(_member, new DailyCommand.Suggest("  \n "));
        var tooLong = await RunAsync(_member, new DailyCommand.Suggest(new string('x', DailySuggestions.MaxCharacters + 1)));

        Assert.Contains("An empty suggestion can't be kept", empty, StringComparison.Ordinal);
        Assert.Contains("8,001 characters; the limit is 8,000", tooLong, StringComparison.Ordinal);
        Assert.DoesNotContain("xxxxxxxxxx", tooLong, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
    }

    [Fact]
    public async Task A_suggestion_is_echoed_only_with_its_mentions_made_inert()
    {
        var reply = await RunAsync(_member, new DailyCommand.Suggest("@everyone what is the KV cache?"));
        var listed = await RunAsync(_admin, new DailyCommand.Suggestions(null));

        Assert.Contains("@\u200beveryone", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", listed, StringComparison.Ordinal);
    }

    public static TheoryData<DailyCommand> AdminCommands => new()
    {
        new DailyCommand.Suggestions(null),
        new DailyCommand.Approve("s1", null),
        new DailyCommand.Reject("s1", null),
    };

    [Theory]
    [MemberData(nameof(AdminCommands))]
    public async Task Listing_approving_and_rejecting_suggestions_are_refused_to_someone_who_may_not_manage_the_server(DailyCommand command)
    {
        await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));

        var reply = await RunAsync(_member, command);

        Assert.StartsWith("Only people who can manage this server", reply, StringComparison.Ordinal);
        Assert.Single(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
        Assert.Empty(await _world.Store.PoolAsync(ChannelKey, default));
    }

    [Fact]
    public async Task Setting_a_pin_only_an_approved_suggestion_fits_is_taken_and_counts_the_channels_pool()
    {
        var before = await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "Europe/Berlin", Topic: "rag-chunking"));
        await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));
        await RunAsync(_admin, new DailyCommand.Approve("S1", null));

        var after = await RunAsync(_admin, new DailyCommand.SetUp(null, "09:00", "Europe/Berlin", Topic: "rag-chunking"));

        Assert.StartsWith("`rag-chunking` is not a topic of any question", before, StringComparison.Ordinal);
        Assert.StartsWith("Daily question set for", after, StringComparison.Ordinal);
        Assert.Contains("Only 1 question fits that", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approved_suggestion_is_chosen_on_a_later_day_judged_against_its_own_rubric_and_revealed_with_its_outline()
    {
        // Pinned to a topic only the suggestion has: before approval no question fits, after it the pool's does.
        await _world.SetScheduleAsync("09:00", "Europe/Berlin", focus: new DailyFocus(Topic: "rag-chunking"));
        await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));
        _world.Time.Advance(TimeSpan.FromHours(1));
        await _world.Scheduler.TickAsync(default);
        Assert.Empty(_world.Platform.Posts);

        var approval = await RunAsync(_admin, new DailyCommand.Approve("S1", null));
        _world.Time.Advance(TimeSpan.FromDays(1));
        await _world.Scheduler.TickAsync(default);

        Assert.StartsWith("s1 is in the pool of #C0STUDY01", approval, StringComparison.Ordinal);
        var post = Assert.Single(_world.Platform.Posts);
        Assert.Equal("s1:rag-chunking", post.Round.QuestionId);
        Assert.Null(_world.Bank.Find(post.Round.QuestionId));
        Assert.StartsWith("How would you choose the chunk size", post.Question, StringComparison.Ordinal);
        Assert.StartsWith("How would you choose the chunk size", (await _world.Rounds.OpenFormAsync(post.Round.Id, "m-2", default)).Question, StringComparison.Ordinal);

        await _world.Rounds.AnswerAsync(StudyGroupWorld.Request("m-2", _member), post.Round.Id, StrongAnswer, t => t, default);
        _world.Time.Advance(post.Round.Deadline - _world.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await _world.Scheduler.TickAsync(default);
        await _world.JudgeQueuedAsync();
        await _world.Scheduler.TickAsync(default);

        Assert.Equal(["m-2"], _world.Judge.Judged);
        var result = Assert.Single(await _world.Store.ResultsAsync(post.Round.Id, default));
        Assert.Equal(3, result.Feedback!.Covered.Count);
        var reveal = Assert.Single(_world.Platform.ThreadPosts);
        var outline = Assert.Single(reveal.Actions.OfType<PostMarkup>(), m => m.Text.Contains("What a strong answer covers", StringComparison.Ordinal));
        Assert.Contains("Overlap between chunks keeps sentences that straddle a boundary retrievable", outline.Text, StringComparison.Ordinal);
        Assert.Equal(RoundState.Done, (await _world.Store.FindRoundAsync(post.Round.Id, default))!.State);
    }

    [Fact]
    public async Task A_rejected_suggestion_is_gone_and_cannot_then_be_approved()
    {
        await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));

        var rejected = await RunAsync(_admin, new DailyCommand.Reject("s1", null));
        var approval = await RunAsync(_admin, new DailyCommand.Approve("s1", null));

        Assert.StartsWith("s1 is rejected", rejected, StringComparison.Ordinal);
        Assert.StartsWith("No suggestion s1 waits", approval, StringComparison.Ordinal);
        Assert.Empty(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
        Assert.Empty(await _world.Store.PoolAsync(ChannelKey, default));
    }

    [Fact]
    public async Task Forget_me_removes_a_members_waiting_suggestions_and_keeps_those_approved_into_the_pool()
    {
        await RunAsync(_member, new DailyCommand.Suggest(ChunkingQuestion));
        await RunAsync(_member, new DailyCommand.Suggest("What is speculative decoding?"));
        await RunAsync(_admin, new DailyCommand.Approve("s1", null));

        var removed = await new StudyGroupMemory(_world.Store).ForgetAsync("m-1", default);

        Assert.Equal(1, removed);
        Assert.Empty(await _world.Store.PendingSuggestionsAsync(ChannelKey, default));
        var kept = Assert.Single(await _world.Store.PoolAsync(ChannelKey, default));
        Assert.Null(kept.MemberId);
    }

    [Fact]
    public void Typed_suggest_keeps_the_lines_of_its_yaml_and_typed_decisions_take_an_id_and_a_channel()
    {
        var suggest = DailyCommand.ParseText("suggest\nid: a\nrubric:\n  - point: x &amp; y &lt;b&gt;");

        Assert.Equal(new DailyCommand.Suggest("id: a\nrubric:\n  - point: x & y <b>"), suggest);
        Assert.Equal(new DailyCommand.Suggest("What is RAG?"), DailyCommand.ParseText("suggest What is RAG?"));
        Assert.Equal(new DailyCommand.Suggestions("C0123ABCD"), DailyCommand.ParseText("suggestions <#C0123ABCD|ml>"));
        Assert.Equal(new DailyCommand.Approve("s3", "C0123ABCD"), DailyCommand.ParseText("approve s3 <#C0123ABCD|ml>"));
        Assert.Equal(new DailyCommand.Reject("s4", null), DailyCommand.ParseText("reject s4"));
        Assert.IsType<DailyCommand.Invalid>(DailyCommand.ParseText("approve s3 s4"));
    }

    public void Dispose() => _world.Dispose();

    private Task<string> RunAsync(IDailyAccess access, DailyCommand command) =>
        _world.Commands.CommandAsync(StudyGroupWorld.Request(access == _admin ? "admin" : "m-1", access), command, "/mock", default);
}
