using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

/// <summary>Which answer texts a session keeps: only those the engine can still read, so a stored session stays small.</summary>
public sealed class KeptAnswersTests
{
    [Fact]
    public void Answers_of_the_question_on_screen_are_kept_for_its_follow_ups()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge("main design answer");

        Assert.Equal((int?)0, kit.Session.Current.FollowUpIndex);
        Assert.Equal(["main design answer"], Answers(kit.Session));
        Assert.Equal("main design answer", kit.Engine.FollowUpRequestFor(kit.Session)?.LastAnswer);
    }

    [Fact]
    public void A_new_question_drops_every_earlier_answer_but_the_last_judged_one_on_the_question_just_left()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full);
        kit.AnswerAndJudge("first answer");
        Assert.Equal(["first answer"], Answers(kit.Session));

        kit.AnswerAndJudge("second answer");
        Assert.Equal([null, "second answer"], Answers(kit.Session));

        kit.Send(new SkipRequested());
        Assert.Equal([null, null, null], Answers(kit.Session));
        Assert.All(kit.Session.Turns.Take(2), t => Assert.NotNull(t.Score));
    }

    [Fact]
    public void A_follow_up_requested_on_the_question_just_left_reacts_to_its_last_answer_and_notes_every_judged_one()
    {
        var kit = new EngineTestKit(TwoBehavioralQuestionsWithTwoFollowUps()).Start(InterviewPlan.Behavioral, questions: 2);
        kit.AnswerAndJudge("main answer");
        kit.Send(new FollowUpRequested());
        kit.AnswerAndJudge("first follow-up answer");

        Assert.Equal([null, "first follow-up answer"], Answers(kit.Session));
        kit.Send(new FollowUpRequested());
        var request = kit.Engine.FollowUpRequestFor(kit.Session);
        kit.Send(new AnswerSubmitted("second follow-up answer"));
        var judging = kit.LastActions.OfType<RequestJudgement>().Single().Request;

        Assert.NotNull(request);
        Assert.Equal("first follow-up answer", request.LastAnswer);
        Assert.Single(request.Earlier);
        Assert.Equal(2, judging.Earlier?.Count);
        Assert.Equal("second follow-up answer", judging.Answer);
    }

    [Fact]
    public void The_scorecard_still_counts_every_judged_answer_after_their_texts_were_dropped()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 2);
        kit.AnswerAndJudge(total: 4);

        var card = kit.LastActions.OfType<PostScorecard>().Single().Scorecard;

        Assert.Equal(3.0, card.Overall);
        Assert.Equal(2, card.NextDrills.Count);
    }

    private static List<string?> Answers(InterviewSession session) => [.. session.Turns.Select(t => t.Answer)];

    private static QuestionBank TwoBehavioralQuestionsWithTwoFollowUps() => new([
        SampleQuestions.Incident,
        SampleQuestions.Disagreement with { FollowUps = ["What did you concede?", "Would you do it again?"] },
    ]);
}
