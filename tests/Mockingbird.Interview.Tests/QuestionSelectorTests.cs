using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

public sealed class QuestionSelectorTests
{
    private static readonly QuestionBank Bank = new(Enumerable.Range(0, 12).Select(i => SampleQuestions.Attention with
    {
        Id = $"theory-{i:00}",
        Topics = [$"topic-{i % 4}"],
        Levels = i % 2 == 0 ? [Level.Mid, Level.Senior] : [Level.Staff],
        Tracks = i % 3 == 0 ? [Track.Mlops] : [Track.Applied, Track.Research],
    }).Concat(SampleQuestions.Bank().Questions.Where(q => q.Stage != Stage.Theory)));

    private static readonly HashSet<string> NoneSeen = [];

    private static List<string> Ids(InterviewOptions options, ulong seed, IReadOnlySet<string>? seen = null) =>
        [.. QuestionSelector.Select(Bank, options, seed, seen ?? NoneSeen).Questions.Select(q => q.Id)];

    [Fact]
    public void The_same_seed_and_history_always_choose_the_same_questions_in_the_same_order()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 5);

        // Pinned: a candidate's interview replays from its seed in any process, on any release.
        Assert.Equal(["theory-11", "theory-01", "theory-00", "theory-10", "theory-03"], Ids(options, 42));
        Assert.Equal(["theory-11", "theory-05", "theory-08", "theory-10", "theory-03"], Ids(options, 42, new HashSet<string> { "theory-00", "theory-01" }));
    }

    [Fact]
    public void Different_seeds_choose_different_questions()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3);

        var distinct = Enumerable.Range(0, 10).Select(seed => string.Join(",", Ids(options, (ulong)seed))).Distinct().Count();

        Assert.True(distinct >= 5, $"only {distinct} distinct selections from 10 seeds");
    }

    [Fact]
    public void Selection_does_not_depend_on_the_order_of_the_bank()
    {
        var reversed = new QuestionBank(Bank.Questions.Reverse());
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4);

        var fromReversed = QuestionSelector.Select(reversed, options, 9, NoneSeen).Questions.Select(q => q.Id);

        Assert.Equal(Ids(options, 9), fromReversed);
    }

    [Fact]
    public void Questions_already_seen_are_not_repeated_while_unseen_ones_remain()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4);
        var seen = new HashSet<string>();

        for (var session = 0; session < 3; session++)
        {
            var ids = Ids(options, (ulong)session, seen);
            Assert.Empty(ids.Intersect(seen));
            seen.UnionWith(ids);
        }

        Assert.Equal(12, seen.Count);
    }

    [Fact]
    public void When_every_question_was_seen_repeats_are_asked_and_the_candidate_is_told()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 3);
        var seen = Bank.ForStage(Stage.Theory).Select(q => q.Id).ToHashSet();

        var selection = QuestionSelector.Select(Bank, options, 1, seen);

        Assert.Equal(3, selection.Questions.Count);
        Assert.Contains(selection.Notes, n => n.Contains("repeats", StringComparison.Ordinal));
    }

    [Fact]
    public void Main_topics_are_spread_before_any_topic_repeats()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 4);

        for (ulong seed = 0; seed < 20; seed++)
        {
            var topics = QuestionSelector.Select(Bank, options, seed, NoneSeen).Questions.Select(q => q.Topics[0]);
            Assert.Equal(4, topics.Distinct().Count());
        }
    }

    [Fact]
    public void Level_and_track_filters_are_respected()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, Level.Staff, Track.Applied, QuestionCount: 2);

        var chosen = QuestionSelector.Select(Bank, options, 5, NoneSeen).Questions;

        Assert.All(chosen, q => Assert.True(q.Suits(Level.Staff, Track.Applied), q.Id));
    }

    [Fact]
    public void Too_few_questions_for_a_track_are_filled_from_other_tracks_at_the_same_level_with_a_note()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, Level.Staff, Track.Mlops, QuestionCount: 4);

        var selection = QuestionSelector.Select(Bank, options, 5, NoneSeen);

        Assert.Equal(4, selection.Questions.Count);
        Assert.All(selection.Questions, q => Assert.Contains(Level.Staff, q.Levels));
        Assert.Contains(selection.Notes, n => n.Contains("mlops", StringComparison.Ordinal));
    }

    [Fact]
    public void A_full_loop_runs_behavioral_theory_design_then_questions_to_ask()
    {
        var stages = QuestionSelector.Select(Bank, new InterviewOptions(InterviewPlan.Full), 3, NoneSeen).Questions.Select(q => q.Stage);

        Assert.Equal([Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk], stages.Distinct());
    }

    [Theory]
    [InlineData(4, 1, 1, 1, 1)]
    [InlineData(7, 2, 3, 1, 1)]
    [InlineData(9, 2, 3, 2, 2)]
    public void A_full_loop_spreads_its_question_count_over_the_stages(int total, int behavioral, int theory, int design, int ask)
    {
        var counts = new InterviewOptions(InterviewPlan.Full, QuestionCount: total).QuestionsPerStage();

        Assert.Equal(
            (behavioral, theory, design, ask),
            (counts[Stage.Behavioral], counts[Stage.Theory], counts[Stage.Design], counts[Stage.QuestionsToAsk]));
    }

    [Fact]
    public void The_stable_hash_is_the_same_on_every_run()
    {
        // Pinned values: a change here would reshuffle every candidate's replayable interview.
        Assert.Equal(0x667197db2b3340e8UL, StableHash.Of("theory-00", 42));
        Assert.NotEqual(StableHash.Of("theory-00", 42), StableHash.Of("theory-00", 43));
        Assert.Equal(0xe220a8397b1dcdafUL, StableHash.Mix(0));
    }
}
