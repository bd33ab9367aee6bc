using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.StudyGroups.Rounds;
using Mockingbird.StudyGroups.Schedules;
using Mockingbird.Testing;

namespace Mockingbird.StudyGroups.Tests;

/// <summary>Which question a channel gets: fresh, rotating topics, aimed at the group's weakest area, pins respected.</summary>
public sealed class DailyQuestionChoiceTests
{
    private static readonly IReadOnlyList<Question> Bank = SampleQuestions.Bank().Questions;

    private static readonly IEnumerable<string> Slots = Enumerable.Range(1, 40).Select(i => $"test:space-1:C1:2026-06-{i:00}");

    [Fact]
    public void No_question_comes_back_within_the_pool_window()
    {
        string[] recent = [SampleQuestions.Incident.Id, SampleQuestions.Attention.Id, SampleQuestions.KvCache.Id, SampleQuestions.SupportAssistant.Id, SampleQuestions.Softmax.Id];

        var chosen = Slots.Select(slot => Choose(DailyFocus.Any, recent, [], slot)!.Id).Distinct().ToList();

        Assert.Equal([SampleQuestions.Disagreement.Id], chosen);
    }

    [Fact]
    public void When_every_fitting_question_was_asked_the_one_asked_longest_ago_comes_back()
    {
        string[] recent = [SampleQuestions.Attention.Id, SampleQuestions.KvCache.Id];

        Assert.Equal(SampleQuestions.KvCache.Id, Choose(new DailyFocus(Stage.Theory), recent, [], "slot")!.Id);
    }

    [Fact]
    public void The_topic_of_the_last_round_does_not_come_straight_back()
    {
        var chosen = Slots.Select(slot => Choose(new DailyFocus(Stage.Behavioral), [SampleQuestions.Incident.Id], [], slot, poolWindow: 0)!.Id).Distinct().ToList();

        Assert.Equal([SampleQuestions.Disagreement.Id], chosen);
    }

    [Fact]
    public void Unpinned_the_choice_aims_at_the_groups_weakest_dimension()
    {
        var records = new[]
        {
            Record("r1", 1, ("cost", 1), ("coverage", 3)),
            Record("r2", 2, ("cost", 2), ("coverage", 2)),
        };

        var chosen = Slots.Select(slot => Choose(DailyFocus.Any, [], records, slot)!.Id).Distinct().ToList();

        Assert.Equal("cost", DailyQuestionChoice.WeakestDimension(records, 10));
        Assert.Equal([SampleQuestions.SupportAssistant.Id], chosen);
    }

    [Fact]
    public void The_weakest_dimension_is_read_from_the_recent_rounds_only()
    {
        var records = new[]
        {
            Record("r1", 1, ("cost", 1), ("coverage", 4)),
            Record("r2", 2, ("cost", 4), ("coverage", 3)),
        };

        Assert.Equal("coverage", DailyQuestionChoice.WeakestDimension(records, 1));
    }

    [Fact]
    public void Pins_are_respected_and_questions_to_ask_come_only_when_pinned()
    {
        var unpinned = Slots.Select(slot => Choose(DailyFocus.Any, [], [], slot)!).ToList();
        var theory = Slots.Select(slot => Choose(new DailyFocus(Stage.Theory, Level: Level.Staff), [], [], slot)!).ToList();
        var topic = Slots.Select(slot => Choose(new DailyFocus(Topic: "RAG"), [], [], slot)!).ToList();

        Assert.DoesNotContain(unpinned, q => q.Stage == Stage.QuestionsToAsk);
        Assert.All(theory, q => Assert.Equal(SampleQuestions.KvCache.Id, q.Id));
        Assert.All(topic, q => Assert.Equal(SampleQuestions.SupportAssistant.Id, q.Id));
        Assert.Equal(SampleQuestions.AskEvaluation.Id, Choose(new DailyFocus(Stage.QuestionsToAsk), [], [], "slot")!.Id);
        Assert.Null(Choose(new DailyFocus(Stage.Theory, Level.Mid, Track.Mlops), [], [], "slot"));
    }

    [Fact]
    public void The_choice_is_the_same_for_the_same_slot_and_varies_across_slots()
    {
        var first = Slots.Select(slot => Choose(DailyFocus.Any, [], [], slot)!.Id).ToList();
        var again = Slots.Select(slot => Choose(DailyFocus.Any, [], [], slot)!.Id).ToList();

        Assert.Equal(first, again);
        Assert.True(first.Distinct().Count() > 2, $"40 slots chose only {string.Join(", ", first.Distinct())}");
    }

    private static Question? Choose(DailyFocus focus, IReadOnlyList<string> recent, IReadOnlyList<DailyRecord> records, string slot, int poolWindow = 60) =>
        DailyQuestionChoice.Choose(Bank, focus, recent, records, slot, poolWindow, weaknessRounds: 10);

    private static DailyRecord Record(string round, int day, params (string Name, int Score)[] dimensions) =>
        new(round, new DateOnly(2026, 6, day), "m", "q", 2, [.. dimensions.Select(d => new DimensionScore(d.Name, d.Score, [], ""))]);
}
