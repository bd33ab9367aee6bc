using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Drills.Tests;

public sealed class DrillScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static DrillPlan PlanWith(DrilledDimension dimension) => DrillPlan.New("c-1") with { On = true, Dimensions = [dimension] };

    private static HistoryEntry Interview(DateTimeOffset at, params (string Dimension, double Score)[] dimensions) =>
        new(at, "s-1", InterviewPlan.Theory, 2.0, [], [], [], [.. dimensions.Select(d => new DimensionAverage(d.Dimension, d.Score))]);

    /// <summary>Sends the due drill at its due time and answers it at once with <paramref name="total"/>.</summary>
    private static (DrillPlan Plan, DateTimeOffset SentAt) DrillAndAnswer(DrillPlan plan, double total)
    {
        var dimension = Assert.Single(plan.Dimensions);
        var at = dimension.DueAt;
        var id = DrillScheduler.DrillIdOf(dimension.Dimension, at);
        plan = DrillSchedule.Sent(plan, dimension, id, "q-1", at);
        return (DrillSchedule.Answered(plan, id, total, at), at);
    }

    [Fact]
    public void A_dimension_answered_strongly_comes_back_after_1_3_7_and_14_days_then_retires_after_two_strong_answers_at_14()
    {
        var plan = PlanWith(new DrilledDimension("depth", 0, Now));
        var gaps = new List<double>();
        var last = Now;
        while (!Assert.Single(plan.Dimensions).Retired)
        {
            (plan, var sentAt) = DrillAndAnswer(plan, 3.5);
            gaps.Add((Assert.Single(plan.Dimensions).DueAt - sentAt).TotalDays);
            last = sentAt;
        }

        Assert.Equal([3, 7, 14, 14, 14], gaps);
        Assert.Null(DrillSchedule.Choose(plan, new Dictionary<string, double>(), last + TimeSpan.FromDays(100)));
    }

    [Fact]
    public void A_weak_answer_sends_its_dimension_back_to_one_day_from_any_step()
    {
        var plan = PlanWith(new DrilledDimension("depth", 3, Now, StrongAtLongest: 1));

        var (answered, sentAt) = DrillAndAnswer(plan, 2.0);

        var dimension = Assert.Single(answered.Dimensions);
        Assert.Equal((0, 0, sentAt + TimeSpan.FromDays(1)), (dimension.Step, dimension.StrongAtLongest, dimension.DueAt));
        Assert.Equal(2.0, Assert.Single(answered.Answers).Total);
    }

    [Fact]
    public void An_unanswered_drill_comes_back_after_the_same_interval_and_an_answer_to_an_unknown_drill_changes_nothing()
    {
        var plan = PlanWith(new DrilledDimension("depth", 1, Now));

        plan = DrillSchedule.Sent(plan, plan.Dimensions[0], "d-1", "q-1", Now);

        Assert.Equal(Now + TimeSpan.FromDays(3), plan.Dimensions[0].DueAt);
        Assert.Same(plan, DrillSchedule.Answered(plan, "d-unknown", 4, Now));
    }

    [Fact]
    public void The_three_weakest_dimensions_below_three_are_drilled_each_due_a_day_after_the_interview_that_scored_it()
    {
        var interviewed = Now - TimeSpan.FromHours(2);
        var history = new[] { Interview(interviewed, ("depth", 1.5), ("coverage", 2.0), ("scoping", 2.5), ("cost", 2.9), ("ownership", 3.5)) };

        var plan = DrillSchedule.Refresh(DrillPlan.New("c-1") with { On = true }, history, Now);

        Assert.Equal(["coverage", "depth", "scoping"], plan.Dimensions.Select(d => d.Dimension).Order(StringComparer.Ordinal));
        Assert.All(plan.Dimensions, d => Assert.Equal((0, interviewed + TimeSpan.FromDays(1)), (d.Step, d.DueAt)));
    }

    [Fact]
    public void Drill_answers_count_towards_which_dimension_is_weakest()
    {
        var history = new[] { Interview(Now - TimeSpan.FromDays(3), ("depth", 2.0), ("coverage", 2.2)) };
        var answers = new[] { new DrillAnswer("d-1", "depth", 4, Now), new DrillAnswer("d-2", "depth", 4, Now) };

        var standing = DrillSchedule.Standing(history, answers);
        var plan = PlanWith(new DrilledDimension("depth", 0, Now)).With(new DrilledDimension("coverage", 0, Now));

        Assert.Equal("coverage", DrillSchedule.Choose(plan, standing, Now)!.Dimension);
    }

    [Fact]
    public void A_retired_dimension_comes_back_at_one_day_when_a_later_interview_scores_it_weak()
    {
        var plan = PlanWith(new DrilledDimension("depth", 3, Now, LastDrilledAt: Now - TimeSpan.FromDays(20), StrongAtLongest: 2, Retired: true));

        var refreshed = DrillSchedule.Refresh(plan, [Interview(Now - TimeSpan.FromDays(1), ("depth", 1.0))], Now);

        var dimension = Assert.Single(refreshed.Dimensions);
        Assert.Equal((false, 0, Now), (dimension.Retired, dimension.Step, dimension.DueAt));
    }

    [Fact]
    public void Drills_that_are_off_are_never_due_and_a_candidate_with_nothing_to_drill_is_looked_at_again_a_day_later()
    {
        Assert.Null(DrillSchedule.NextDue(DrillPlan.New("c-1"), Now));
        Assert.Equal(Now + TimeSpan.FromDays(1), DrillSchedule.NextDue(DrillPlan.New("c-1") with { On = true }, Now));
    }
}
