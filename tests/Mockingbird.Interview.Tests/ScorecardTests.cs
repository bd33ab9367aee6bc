using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Interview.Tests;

public sealed class ScorecardTests
{
    [Theory]
    [InlineData(1.0, HiringSignal.StrongNoHire)]
    [InlineData(1.5, HiringSignal.NoHire)]
    [InlineData(2.4, HiringSignal.LeanNoHire)]
    [InlineData(2.5, HiringSignal.LeanHire)]
    [InlineData(3.0, HiringSignal.Hire)]
    [InlineData(3.5, HiringSignal.StrongHire)]
    [InlineData(4.0, HiringSignal.StrongHire)]
    public void Scores_map_to_hiring_signals_in_half_point_bands(double score, HiringSignal signal) =>
        Assert.Equal(signal, Scorecards.SignalFor(score));

    [Fact]
    public void Each_stage_is_scored_on_its_own_answers_and_the_overall_weights_stages_equally()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full, questions: 5);
        var totals = new Queue<double>([2, 4, 3, 3, 3, 1]);
        while (kit.Session.Phase != SessionPhase.Completed)
        {
            kit.AnswerAndJudge(total: totals.Dequeue());
        }

        var card = kit.LastActions.OfType<PostScorecard>().Single().Scorecard;

        // behavioral: 2 (one question); theory: 4 and 3; design: 3 and its follow-up 3; questions-to-ask: 1
        Assert.Equal([2.0, 3.5, 3.0, 1.0], card.Stages.Select(s => s.Score!.Value));
        Assert.Equal(2.4, card.Overall);
        Assert.Equal(HiringSignal.LeanNoHire, card.Signal);
        Assert.Equal(["test-judge"], card.Judges);
    }

    [Fact]
    public void The_overall_score_is_the_mean_of_the_stages_exact_scores_rounded_once()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full, questions: 5);
        var totals = new Queue<double>([2, 2, 3, 3, 2, 3]);
        while (kit.Session.Phase != SessionPhase.Completed)
        {
            kit.AnswerAndJudge(total: totals.Dequeue());
        }

        var card = kit.LastActions.OfType<PostScorecard>().Single().Scorecard;

        // design is (2 × 3 + 2) / 3 = 2.67, shown as 2.7; the exact mean of the stages is 2.54, while the shown ones average 2.55.
        Assert.Equal([2.0, 2.5, 2.7, 3.0], card.Stages.Select(s => s.Score!.Value));
        Assert.Equal(2.5, card.Overall);
    }

    [Fact]
    public void An_interview_ended_before_any_answer_has_no_signal()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        var card = Assert.IsType<PostScorecard>(Assert.Single(kit.Send(new EndRequested()))).Scorecard;

        Assert.Null(card.Overall);
        Assert.Null(card.Signal);
        Assert.True(card.EndedEarly);
    }

    [Fact]
    public void An_interview_ended_after_one_strong_answer_keeps_its_score_but_gives_no_verdict()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full, questions: 5);
        kit.AnswerAndJudge(total: 4);

        var card = kit.Send(new EndRequested()).OfType<PostScorecard>().Single().Scorecard;

        var planned = kit.Session.Questions.Count;
        Assert.InRange(planned, 4, 5);
        Assert.Equal(4.0, card.Overall);
        Assert.Null(card.Signal);
        Assert.Equal(planned - 1, card.Stages.Sum(s => s.Unanswered));
        Assert.Equal($"4.0/4 on 1 of {planned} questions · no verdict on an interview ended early", card.Verdict());
        Assert.True(card.EndedEarly);
        Assert.True(Scorecards.HistoryFor(kit.Session, _ => [], EngineTestKit.Now, card).EndedEarly);
    }

    [Fact]
    public void Ending_early_never_reads_better_than_skipping_the_rest_which_scores_each_skip_one()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 4);

        var card = kit.Send(new EndRequested()).OfType<PostScorecard>().Single().Scorecard;
        var skipped = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        skipped.AnswerAndJudge(total: 4);
        skipped.Send(new SkipRequested());
        var skippedCard = skipped.LastActions.OfType<PostScorecard>().Single().Scorecard;

        Assert.Equal(("4.0/4 on 1 of 2 questions · no verdict on an interview ended early", "2.5/4 · lean hire"), (card.Verdict(), skippedCard.Verdict()));
        Assert.Null(card.Signal);
    }

    [Fact]
    public void An_interview_with_nothing_answered_says_so_rather_than_a_score()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new SkipRequested());

        var card = Assert.IsType<PostScorecard>(Assert.Single(kit.Send(new EndRequested()))).Scorecard;

        Assert.Null(card.Signal);
        Assert.Equal("not enough answers to judge", card.Verdict());
    }

    [Fact]
    public void A_design_stages_strongest_and_weakest_dimensions_are_its_own_not_its_follow_ups()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        Judge(kit, [("scoping", 4), ("cost", 2)]);

        Judge(kit, [("coverage", 1), ("depth", 4)]);

        var stage = kit.LastActions.OfType<PostScorecard>().Single().Scorecard.Stages.Single();
        Assert.Equal(("scoping", "cost"), (stage.Strongest, stage.Weakest));

        static void Judge(EngineTestKit kit, (string Name, int Score)[] dimensions)
        {
            kit.Send(new AnswerSubmitted("An answer with enough words to be judged."));
            var request = kit.LastActions.OfType<RequestJudgement>().Single();
            var feedback = EngineTestKit.Feedback(request.Request.Question.Id, dimensions.Average(d => d.Score)) with
            {
                Dimensions = [.. dimensions.Select(d => new DimensionScore(d.Name, d.Score, [], "canned"))],
            };
            kit.Send(new JudgementReady(request.TurnNumber, feedback));
        }
    }

    [Fact]
    public void The_weakest_answers_drills_come_first()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 3.5);
        kit.AnswerAndJudge(total: 1.5);

        var card = kit.LastActions.OfType<PostScorecard>().Single().Scorecard;

        Assert.Equal($"drill for {kit.Session.Questions[1].Id}", card.NextDrills[0]);
    }

    [Fact]
    public void A_follow_up_weighs_half_as_much_as_its_main_answer_and_is_counted_apart()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge(total: 1);

        kit.AnswerAndJudge(total: 4);

        var stage = kit.LastActions.OfType<PostScorecard>().Single().Scorecard.Stages.Single();
        Assert.Equal(2.0, stage.Score);
        Assert.Equal((1, 1), (stage.Answered, stage.FollowUps));
    }

    [Fact]
    public void A_history_entry_keeps_the_mean_score_of_each_rubric_dimension_for_the_progress_charts()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 4);
        kit.AnswerAndJudge(total: 1);

        var entry = Scorecards.HistoryFor(kit.Session, _ => [], DateTimeOffset.UnixEpoch);

        Assert.Equal([new DimensionAverage("coverage", 2.5)], entry.Dimensions);
    }

    [Fact]
    public void The_engine_keeps_the_same_history_entry_from_the_scorecard_it_posted_as_from_one_worked_out_afresh()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 4);
        var before = kit.Session;
        kit.AnswerAndJudge(total: 2);
        Assert.Single(kit.LastActions.OfType<PostScorecard>());

        var kept = kit.Engine.HistoryEntryFor(before, new InterviewStep(kit.Session, kit.LastActions), DateTimeOffset.UnixEpoch)!;
        var afresh = Scorecards.HistoryFor(kit.Session, id => kit.Engine.Bank.Find(id)?.Topics ?? [], DateTimeOffset.UnixEpoch);

        Assert.Equal((afresh.Overall, afresh.Plan, afresh.SessionId), (kept.Overall, kept.Plan, kept.SessionId));
        Assert.Equal(afresh.Stages, kept.Stages);
        Assert.Equal(afresh.Topics, kept.Topics);
        Assert.Equal(afresh.QuestionIds, kept.QuestionIds);
        Assert.Equal(afresh.Dimensions, kept.Dimensions);
        Assert.NotEmpty(kept.Stages);
    }
}
