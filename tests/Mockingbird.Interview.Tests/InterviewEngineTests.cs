using System.Text.Json;
using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

public sealed class InterviewEngineTests
{
    [Fact]
    public void Start_posts_an_introduction_then_the_first_question()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        Assert.IsType<PostIntroduction>(kit.LastActions[0]);
        var question = Assert.IsType<PostQuestion>(kit.LastActions[1]);
        Assert.Equal((1, 2, Stage.Theory, (int?)null), (question.Number, question.Total, question.Stage, question.FollowUpNumber));
        Assert.Equal(SessionPhase.AwaitingAnswer, kit.Session.Phase);
    }

    [Fact]
    public void Start_with_an_impossible_question_count_is_refused_without_a_session()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());

        var start = engine.Start("s", "c", new InterviewOptions(InterviewPlan.Full, QuestionCount: 2), 1, new HashSet<string>(), EngineTestKit.Now);

        Assert.Null(start.Session);
        var notice = Assert.IsType<PostNotice>(Assert.Single(start.Actions));
        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Contains("between 4 and 20", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_with_filters_that_match_nothing_is_refused_with_a_reason()
    {
        var engine = new InterviewEngine(SampleQuestions.Bank());

        var start = engine.Start("s", "c", new InterviewOptions(InterviewPlan.MlCoding, Level.Staff, Track.Mlops), 1, new HashSet<string>(), EngineTestKit.Now);

        Assert.Null(start.Session);
        Assert.Contains("No questions match", Assert.IsType<PostNotice>(Assert.Single(start.Actions)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_is_acknowledged_and_sent_for_judgement_with_the_question_and_text()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory);

        var actions = kit.Send(new AnswerSubmitted("  Because the variance grows with the dimension.  "));

        var ack = Assert.IsType<AcknowledgeAnswer>(actions[0]);
        var request = Assert.IsType<RequestJudgement>(actions[1]);
        Assert.Equal((1, 7), (ack.TurnNumber, ack.Words));
        Assert.Equal("Because the variance grows with the dimension.", request.Request.Answer);
        Assert.Equal(kit.Session.Questions[0].Id, request.Request.Question.Id);
        Assert.Null(request.Request.FollowUp);
        Assert.Equal(SessionPhase.Judging, kit.Session.Phase);
        Assert.Equal("Because the variance grows with the dimension.", kit.Session.Turns.Single().Answer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void Empty_answer_is_rejected_and_nothing_is_recorded(string answer)
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory);
        var before = kit.Session;

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new AnswerSubmitted(answer))));

        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Same(before, kit.Session);
    }

    [Fact]
    public void Oversize_answer_is_rejected_with_its_length_and_the_limit_and_nothing_is_recorded()
    {
        var kit = new EngineTestKit(rules: new InterviewRules(MaxAnswerCharacters: 100)).Start(InterviewPlan.Theory);
        var before = kit.Session;

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new AnswerSubmitted(new string('a', 150)))));

        Assert.Contains("150 characters", notice.Text, StringComparison.Ordinal);
        Assert.Contains("limit is 100", notice.Text, StringComparison.Ordinal);
        Assert.Contains("nothing was recorded", notice.Text, StringComparison.Ordinal);
        Assert.Same(before, kit.Session);
    }

    [Fact]
    public void Judgement_posts_the_feedback_and_then_the_next_question()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        var actions = kit.AnswerAndJudge(total: 3.5);

        var feedback = Assert.IsType<PostFeedback>(actions[0]);
        var next = Assert.IsType<PostQuestion>(actions[1]);
        Assert.Equal((1, 1, 3.5), (feedback.TurnNumber, feedback.QuestionNumber, feedback.Feedback.Total));
        Assert.Equal(2, next.Number);
        Assert.Equal(3.5, kit.Session.Turns[0].Score!.Total);
    }

    [Fact]
    public void A_judged_turn_keeps_the_judge_prompt_version_and_arm_that_scored_it_but_not_what_it_cost()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("An answer with enough words to be judged."));
        var request = kit.LastActions.OfType<RequestJudgement>().Single();
        var served = new Mockingbird.Interview.Judging.FeedbackSource("llm", "gpt-x", "judge-theory", "v1", "h4sh", Experiment: "judge-2026-12", Arm: "v2", PromptTokens: 900, CompletionTokens: 120);

        kit.Send(new JudgementReady(request.TurnNumber, EngineTestKit.Feedback(request.Request.Question.Id, 3) with { Source = served }));

        Assert.Equal(served with { PromptTokens = 0, CompletionTokens = 0 }, kit.Session.Turns[0].Score!.Source);
    }

    [Fact]
    public void Duplicate_judgement_for_the_same_turn_changes_nothing_and_posts_nothing()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 2);
        var afterFirst = kit.Session;

        var actions = kit.Send(new JudgementReady(1, EngineTestKit.Feedback(afterFirst.Questions[0].Id, 4)));

        Assert.Empty(actions);
        Assert.Same(afterFirst, kit.Session);
        Assert.Equal(2, kit.Session.Turns[0].Score!.Total);
    }

    [Fact]
    public void Judgement_for_a_turn_other_than_the_pending_one_is_ignored()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("my answer"));
        var judging = kit.Session;

        Assert.Empty(kit.Send(new JudgementReady(5, EngineTestKit.Feedback("x", 4))));
        Assert.Same(judging, kit.Session);
    }

    [Fact]
    public void Answer_while_the_last_one_is_being_judged_is_rejected_and_not_recorded()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("first"));
        var judging = kit.Session;

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new AnswerSubmitted("second"))));

        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Contains("still being judged", notice.Text, StringComparison.Ordinal);
        Assert.Same(judging, kit.Session);
    }

    [Theory]
    [MemberData(nameof(InputsThatWaitForJudgement))]
    public void Other_inputs_while_judging_are_answered_with_a_notice_and_change_nothing(InterviewInput input)
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("first"));
        var judging = kit.Session;

        Assert.IsType<PostNotice>(Assert.Single(kit.Send(input)));
        Assert.Same(judging, kit.Session);
    }

    public static TheoryData<InterviewInput> InputsThatWaitForJudgement() =>
        [new HintRequested(), new SkipRequested(), new RepeatRequested(), new FollowUpRequested()];

    [Fact]
    public void Hints_point_at_rubric_phrases_and_stop_after_the_allowance()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.MlCoding, questions: 1);

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));
        var second = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));
        var third = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Equal((1, 2), (first.HintNumber, first.HintsAllowed));
        Assert.Contains("\"subtract the max\"", first.Text, StringComparison.Ordinal);
        Assert.Contains("\"overflow\"", second.Text, StringComparison.Ordinal);
        Assert.Equal(NoticeKind.Rejected, third.Kind);
        kit.AnswerAndJudge();
        Assert.Equal(2, kit.Session.Turns[0].HintsUsed);
    }

    [Fact]
    public void A_hint_gives_the_opening_of_the_reference_answers_sentence_on_its_point_and_leaves_the_rest_to_the_candidate()
    {
        var softmax = SampleQuestions.Softmax with
        {
            ReferenceAnswer = "Exponentials of large logits overflow to inf in float32, so the naive version returns NaN. "
                + "I subtract the max of each row before exponentiating, which leaves the result unchanged because the shift cancels in the ratio.",
        };
        var kit = new EngineTestKit(new QuestionBank([softmax])).Start(InterviewPlan.MlCoding, questions: 1);

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));
        var second = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Equal("A strong answer has a line like “I subtract the max of each row before exponentiating, which leaves…”.", first.Text);
        Assert.Equal("A strong answer has a line like “Exponentials of large logits overflow to inf in float32…”.", second.Text);
    }

    [Fact]
    public void A_hint_from_a_reference_sentence_that_gives_an_example_is_not_cut_at_the_abbreviation()
    {
        var softmax = SampleQuestions.Softmax with
        {
            ReferenceAnswer = "Exponentials of large logits (e.g. 1000) overflow to inf in float32, so the naive version returns NaN. "
                + "I subtract the max of each row before exponentiating, which leaves the result unchanged because the shift cancels in the ratio.",
        };
        var kit = new EngineTestKit(new QuestionBank([softmax])).Start(InterviewPlan.MlCoding, questions: 1);

        kit.Send(new HintRequested());
        var second = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Equal("A strong answer has a line like “Exponentials of large logits (e.g. 1000) overflow to inf in float32…”.", second.Text);
    }

    [Fact]
    public void A_hint_for_a_point_no_reference_sentence_shows_falls_back_to_its_evidence_phrases()
    {
        var softmax = SampleQuestions.Softmax with { ReferenceAnswer = "Shifting inside the log is the whole trick here." };
        var kit = new EngineTestKit(new QuestionBank([softmax])).Start(InterviewPlan.MlCoding, questions: 1);

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Equal("A strong answer covers something around \"subtract the max\", \"max\".", first.Text);
    }

    [Fact]
    public void Design_hints_point_at_different_dimensions()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));
        var second = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Contains("(scoping)", first.Text, StringComparison.Ordinal);
        Assert.Contains("(data)", second.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_records_a_skipped_turn_and_asks_the_next_question()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        var actions = kit.Send(new SkipRequested());

        Assert.Contains("Skipped question 1", Assert.IsType<PostNotice>(actions[0]).Text, StringComparison.Ordinal);
        Assert.Equal(2, Assert.IsType<PostQuestion>(actions[1]).Number);
        Assert.Equal(TurnOutcome.Skipped, kit.Session.Turns.Single().Outcome);
        Assert.Null(kit.Session.Turns.Single().Answer);
    }

    [Fact]
    public void A_second_click_of_skip_made_for_the_first_question_does_not_skip_the_second()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 3);
        var first = kit.LastActions.OfType<PostQuestion>().Single().Position;

        kit.Send(new SkipRequested(first));
        var before = kit.Session;
        var again = kit.Send(new SkipRequested(first));

        Assert.Contains("earlier question, so nothing was done", Assert.IsType<PostNotice>(Assert.Single(again)).Text, StringComparison.Ordinal);
        Assert.Same(before, kit.Session);
        Assert.Equal(2, kit.Session.QuestionNumber);
    }

    [Fact]
    public void Hints_and_form_answers_made_on_the_prompt_on_screen_are_taken()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        var on = kit.LastActions.OfType<PostQuestion>().Single().Position;

        Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested(on))));
        Assert.Contains(kit.Send(new AnswerSubmitted("A form answer long enough to count as an answer here.", on)), a => a is AcknowledgeAnswer);
    }

    [Fact]
    public void A_request_for_a_hint_already_shown_changes_nothing_and_says_so()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.MlCoding, questions: 1);
        var question = kit.LastActions.OfType<PostQuestion>().Single();
        Assert.Equal(1, question.NextHint);

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested(question.Position, question.NextHint))));
        var before = kit.Session;
        var again = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new HintRequested(question.Position, question.NextHint))));

        Assert.Equal(1, first.HintNumber);
        Assert.Contains("Hint 1 was shown already, so nothing was done", again.Text, StringComparison.Ordinal);
        Assert.Equal(NoticeKind.Rejected, again.Kind);
        Assert.Same(before, kit.Session);
        Assert.Equal(1, kit.Session.HintsGiven);
    }

    [Fact]
    public void A_hint_names_its_prompt_and_whether_another_can_follow_and_a_typed_hint_takes_the_next()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.MlCoding, questions: 1);
        var on = kit.LastActions.OfType<PostQuestion>().Single().Position;

        var first = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested(on, 1))));
        var second = Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested())));

        Assert.Equal((on, true), (first.On, first.AnotherHintAvailable));
        Assert.Equal((2, on, false), (second.HintNumber, second.On, second.AnotherHintAvailable));
    }

    [Fact]
    public void A_hint_button_ahead_of_the_hints_shown_is_refused()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.MlCoding, questions: 1);
        var on = kit.LastActions.OfType<PostQuestion>().Single().Position;
        var before = kit.Session;

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new HintRequested(on, 2))));

        Assert.Equal(NoticeKind.Rejected, notice.Kind);
        Assert.Same(before, kit.Session);
    }

    [Fact]
    public void A_question_posted_again_after_a_hint_asks_its_hint_button_for_the_next_hint()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.MlCoding, questions: 1);
        kit.Send(new HintRequested());

        var repeated = Assert.IsType<PostQuestion>(Assert.Single(kit.Send(new RepeatRequested())));

        Assert.Equal((1, 2), (repeated.HintsShown, repeated.NextHint));
        Assert.IsType<PostHint>(Assert.Single(kit.Send(new HintRequested(repeated.Position, repeated.NextHint))));
    }

    [Fact]
    public void A_form_answer_opened_on_an_earlier_question_is_refused_and_not_recorded()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        var first = kit.LastActions.OfType<PostQuestion>().Single().Position;
        kit.Send(new SkipRequested());

        var actions = kit.Send(new AnswerSubmitted("An answer written for the first question, sent late.", first));

        Assert.Equal(NoticeKind.Rejected, Assert.IsType<PostNotice>(Assert.Single(actions)).Kind);
        Assert.DoesNotContain(kit.Session.Turns, t => t.Outcome == TurnOutcome.Answered);
    }

    [Fact]
    public void Skipping_the_last_question_ends_with_the_scorecard()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 1);

        var actions = kit.Send(new SkipRequested());

        var card = Assert.IsType<PostScorecard>(actions[^1]).Scorecard;
        Assert.Equal(SessionPhase.Completed, kit.Session.Phase);
        Assert.Equal(1.0, card.Stages.Single().Score);
        Assert.Equal(1, card.Stages.Single().Skipped);
    }

    [Fact]
    public void Repeat_posts_the_same_question_again_and_changes_nothing()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        var first = kit.LastActions.OfType<PostQuestion>().Single();
        var before = kit.Session;

        var again = Assert.IsType<PostQuestion>(Assert.Single(kit.Send(new RepeatRequested())));

        Assert.Equal(first with { IsRepeat = true }, again);
        Assert.Same(before, kit.Session);
    }

    [Fact]
    public void A_design_answer_is_followed_by_one_automatic_follow_up_then_the_next_question()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);

        var afterMain = kit.AnswerAndJudge();
        var followUp = Assert.IsType<PostQuestion>(afterMain[^1]);
        kit.Send(new AnswerSubmitted("follow-up answer"));
        var request = kit.LastActions.OfType<RequestJudgement>().Single();
        var afterFollowUp = kit.Send(new Sessions.JudgementReady(request.TurnNumber, EngineTestKit.Feedback("design-support-assistant", 3)));

        Assert.Equal((1, (int?)1), (followUp.Number, followUp.FollowUpNumber));
        Assert.Equal(SampleQuestions.SupportAssistant.FollowUps[0], followUp.Text);
        Assert.Equal(SampleQuestions.SupportAssistant.FollowUps[0], request.Request.FollowUp);
        Assert.Equal((int?)1, Assert.IsType<PostFeedback>(afterFollowUp[0]).FollowUpNumber);
        Assert.IsType<PostScorecard>(afterFollowUp[^1]);
    }

    [Fact]
    public void Skipping_a_design_question_does_not_ask_its_follow_up()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);

        var actions = kit.Send(new SkipRequested());

        Assert.IsType<PostScorecard>(actions[^1]);
    }

    [Fact]
    public void A_requested_follow_up_goes_back_to_the_last_answered_question_then_carries_on()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Behavioral, questions: 2);
        kit.AnswerAndJudge();
        var firstId = kit.Session.Questions[0].Id;

        var followUp = Assert.IsType<PostQuestion>(Assert.Single(kit.Send(new FollowUpRequested())));
        var afterFollowUp = kit.AnswerAndJudge();

        Assert.Equal((1, (int?)1, firstId), (followUp.Number, followUp.FollowUpNumber, followUp.QuestionId));
        var next = Assert.IsType<PostQuestion>(afterFollowUp[^1]);
        Assert.Equal((2, (int?)null), (next.Number, next.FollowUpNumber));
    }

    [Fact]
    public void A_follow_up_before_any_answer_is_rejected()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Behavioral, questions: 2);

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new FollowUpRequested())));

        Assert.Contains("after an answered question", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_follow_up_request_while_on_a_follow_up_is_rejected()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge();

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new FollowUpRequested())));

        Assert.Contains("follow-up already", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Follow_ups_run_out_with_a_clear_reply()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge();
        kit.Send(new FollowUpRequested());
        kit.AnswerAndJudge();

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new FollowUpRequested())));

        Assert.Contains("no more follow-ups", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void End_posts_the_scorecard_and_completes_the_session()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge(total: 3);

        var card = Assert.IsType<PostScorecard>(Assert.Single(kit.Send(new EndRequested()))).Scorecard;

        // The second question was on screen when the candidate ended: asked, not answered.
        Assert.Equal(SessionPhase.Completed, kit.Session.Phase);
        Assert.True(card.EndedEarly);
        Assert.Equal(1, card.Stages.Single().Unanswered);
        Assert.Equal(1, card.Stages.Single().Answered);
        Assert.Equal(3.0, card.Overall);
    }

    [Fact]
    public void End_while_judging_waits_for_the_feedback_then_posts_the_scorecard()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 3);
        kit.Send(new AnswerSubmitted("answer"));

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new EndRequested())));
        var actions = kit.Send(new JudgementReady(1, EngineTestKit.Feedback(kit.Session.Questions[0].Id, 4)));

        Assert.Contains("after the feedback", notice.Text, StringComparison.Ordinal);
        Assert.IsType<PostFeedback>(actions[0]);
        Assert.IsType<PostScorecard>(actions[1]);
        Assert.Equal(2, actions.Count);
    }

    [Theory]
    [MemberData(nameof(EveryCandidateInput))]
    public void Every_input_after_the_end_gets_a_clear_reply_and_changes_nothing(InterviewInput input)
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 1);
        kit.Send(new EndRequested());
        var ended = kit.Session;

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(input)));

        Assert.Contains("has ended", notice.Text, StringComparison.Ordinal);
        Assert.Same(ended, kit.Session);
    }

    private static readonly InterviewInput[] CandidateInputs =
    [
        new AnswerSubmitted("late"), new HintRequested(), new SkipRequested(), new RepeatRequested(),
        new FollowUpRequested(), new EndRequested(), new ResumeRequested(), new StartRequested(new InterviewOptions(InterviewPlan.Full)),
    ];

    public static TheoryData<InterviewInput> EveryCandidateInput() => [.. CandidateInputs];

    [Fact]
    public void Starting_again_during_an_interview_is_rejected_with_the_current_position()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        var notice = Assert.IsType<PostNotice>(Assert.Single(kit.Send(new StartRequested(new InterviewOptions(InterviewPlan.Full)))));

        Assert.Contains("already have an interview in progress (question 1 of 2)", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_welcomes_back_and_reposts_the_current_question()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge();

        var actions = kit.Send(new ResumeRequested());

        Assert.Contains("question 2 of 2", Assert.IsType<PostNotice>(actions[0]).Text, StringComparison.Ordinal);
        var question = Assert.IsType<PostQuestion>(actions[1]);
        Assert.True(question.IsRepeat);
        Assert.Equal(2, question.Number);
    }

    [Fact]
    public void Resume_recalls_the_last_judged_answer_in_brief_so_feedback_far_up_or_in_a_deleted_thread_is_not_lost()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge();
        var judged = kit.Session.Questions[0].Id;

        var welcome = Assert.IsType<PostNotice>(kit.Send(new ResumeRequested())[0]).Text;

        Assert.Contains("Your last judged answer (question 1) scored 3.0/4.", welcome, StringComparison.Ordinal);
        Assert.Contains($"Next drill: drill for {judged}", welcome, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_after_a_judged_follow_up_names_the_follow_up_it_recalls()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge();
        kit.Send(new FollowUpRequested());
        kit.AnswerAndJudge();

        var welcome = Assert.IsType<PostNotice>(kit.Send(new ResumeRequested())[0]).Text;

        Assert.Contains("Your last judged answer (follow-up 1 on question 1) scored", welcome, StringComparison.Ordinal);
    }

    [Fact]
    public void Resume_before_any_judged_answer_only_says_where_the_candidate_is()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);

        var welcome = Assert.IsType<PostNotice>(kit.Send(new ResumeRequested())[0]).Text;

        Assert.Equal("Welcome back: you are on question 1 of 2.", welcome);
    }

    [Fact]
    public void Resume_while_judging_says_the_feedback_is_coming_and_asks_for_the_judgement_again()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("answer"));
        var judging = kit.Session;

        var actions = kit.Send(new ResumeRequested());

        var notice = Assert.IsType<PostNotice>(actions[0]);
        Assert.Equal(NoticeKind.Info, notice.Kind);
        Assert.Contains("being judged", notice.Text, StringComparison.Ordinal);
        var again = Assert.IsType<RequestJudgement>(actions[1]);
        Assert.Equal((1, "answer"), (again.TurnNumber, again.Request.Answer));
        Assert.Same(judging, kit.Session);
    }

    [Fact]
    public void A_session_that_refers_to_a_question_no_longer_in_the_bank_gets_a_clear_reply_and_can_still_end()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        var smallerBank = new QuestionBank(SampleQuestions.Bank().Questions.Where(q => q.Id != kit.Session.Questions[1].Id));
        var engine = new InterviewEngine(smallerBank);

        var step = engine.Handle(kit.Session, new AnswerSubmitted("hello"), EngineTestKit.Now);
        var end = engine.Handle(kit.Session, new EndRequested(), EngineTestKit.Now);

        Assert.Contains("no longer in the bank", Assert.IsType<PostNotice>(Assert.Single(step.Actions)).Text, StringComparison.Ordinal);
        Assert.IsType<PostScorecard>(Assert.Single(end.Actions));
    }

    [Fact]
    public void A_full_interview_runs_every_stage_in_loop_order_to_a_scorecard()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full);
        var stagesAsked = new List<Stage> { kit.LastActions.OfType<PostQuestion>().Single().Stage };

        for (var guard = 0; guard < 50 && kit.Session.Phase != SessionPhase.Completed; guard++)
        {
            var asked = kit.AnswerAndJudge(total: 3).OfType<PostQuestion>().Where(q => q.FollowUpNumber is null);
            stagesAsked.AddRange(asked.Select(q => q.Stage));
        }

        Assert.Equal(SessionPhase.Completed, kit.Session.Phase);
        Assert.Equal([Stage.Behavioral, Stage.Theory, Stage.Design, Stage.QuestionsToAsk], stagesAsked.Distinct());
        var card = kit.LastActions.OfType<PostScorecard>().Single().Scorecard;
        Assert.All(card.Stages, s => Assert.Equal(3.0, s.Score));
        Assert.Equal(HiringSignal.Hire, card.Signal);
        Assert.False(card.EndedEarly);
    }

    [Fact]
    public void Every_candidate_input_while_awaiting_an_answer_or_judging_gets_a_reply_in_every_plan_and_none_throws()
    {
        foreach (var plan in Enum.GetValues<InterviewPlan>())
        {
            var kit = new EngineTestKit().Start(plan, seed: 3);
            var probed = 0;
            for (var step = 0; step < 40 && kit.Session.Phase != SessionPhase.Completed; step++)
            {
                probed += RepliesToEveryInput(kit.Engine, kit.Session, plan);
                kit.Send(new AnswerSubmitted("An answer with enough words to be judged."));
                probed += RepliesToEveryInput(kit.Engine, kit.Session, plan);
                var request = kit.LastActions.OfType<RequestJudgement>().Single();

                // A stray judgement for another turn may pass in silence; it must only never throw.
                kit.Engine.Handle(kit.Session, new JudgementReady(request.TurnNumber + 1, EngineTestKit.Feedback("x", 2)), EngineTestKit.Now);
                kit.Send(new JudgementReady(request.TurnNumber, EngineTestKit.Feedback(request.Request.Question.Id, 3)));
            }

            Assert.Equal(SessionPhase.Completed, kit.Session.Phase);
            Assert.True(probed >= 2 * CandidateInputs.Length, $"{plan}: only {probed} inputs probed");
        }
    }

    private static int RepliesToEveryInput(InterviewEngine engine, InterviewSession session, InterviewPlan plan)
    {
        foreach (var input in CandidateInputs)
        {
            var result = engine.Handle(session, input, EngineTestKit.Now);
            Assert.True(result.Actions.Count > 0, $"{input} in {session.Phase} of a {plan} interview got no reply");
        }

        return CandidateInputs.Length;
    }

    [Fact]
    public void A_session_survives_a_json_round_trip_and_carries_on_identically()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Full);
        kit.AnswerAndJudge();
        kit.Send(new HintRequested());

        var json = JsonSerializer.Serialize(kit.Session);
        var restored = JsonSerializer.Deserialize<InterviewSession>(json)!;
        var original = kit.Engine.Handle(kit.Session, new AnswerSubmitted("same answer"), EngineTestKit.Now);
        var replayed = kit.Engine.Handle(restored, new AnswerSubmitted("same answer"), EngineTestKit.Now);

        Assert.Equal(JsonSerializer.Serialize(original.Session), JsonSerializer.Serialize(replayed.Session));
        Assert.Equal(original.Actions.Count, replayed.Actions.Count);
    }

    [Fact]
    public void Asking_for_a_follow_up_does_not_hand_back_hints_already_taken()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.AnswerAndJudge();
        kit.Send(new HintRequested());
        kit.Send(new HintRequested());

        kit.Send(new FollowUpRequested());
        kit.Send(new SkipRequested());

        Assert.Equal(2, kit.Session.Current.QuestionIndex + 1);
        Assert.Equal(NoticeKind.Rejected, Assert.IsType<PostNotice>(Assert.Single(kit.Send(new HintRequested()))).Kind);
    }

    [Fact]
    public void Hints_taken_on_a_question_never_answered_still_count_on_the_scorecard()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new HintRequested());

        var card = Assert.IsType<PostScorecard>(Assert.Single(kit.Send(new EndRequested()))).Scorecard;

        Assert.Equal(1, card.HintsUsed);
    }

    [Fact]
    public void A_follow_up_is_sent_for_judgement_with_the_points_the_main_answer_already_covered()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.Send(new AnswerSubmitted("main answer"));
        var rubric = SampleQuestions.SupportAssistant.Rubric.Select(p => p.Text).ToList();
        var feedback = EngineTestKit.Feedback(SampleQuestions.SupportAssistant.Id, 2) with { Missed = rubric.Skip(2).ToList() };
        kit.Send(new JudgementReady(1, feedback));

        kit.Send(new AnswerSubmitted("follow-up answer"));

        var request = kit.LastActions.OfType<RequestJudgement>().Single().Request;
        Assert.Equal(rubric.Take(2), request.AlreadyCovered);
    }

    [Fact]
    public void Ending_while_the_pending_answers_question_has_left_the_bank_finishes_at_once()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("answer"));
        var engine = new InterviewEngine(new QuestionBank(SampleQuestions.Bank().Questions.Where(q => q.Id != kit.Session.Questions[0].Id)));

        var end = engine.Handle(kit.Session, new EndRequested(), EngineTestKit.Now);

        Assert.Equal(SessionPhase.Completed, end.Session.Phase);
        Assert.IsType<PostScorecard>(Assert.Single(end.Actions));
    }

    [Fact]
    public void A_judgement_that_arrives_after_its_question_left_the_bank_is_posted_and_the_interview_ends()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 2);
        kit.Send(new AnswerSubmitted("answer"));
        var engine = new InterviewEngine(new QuestionBank(SampleQuestions.Bank().Questions.Where(q => q.Id != kit.Session.Questions[1].Id)));

        var step = engine.Handle(kit.Session, new JudgementReady(1, EngineTestKit.Feedback(kit.Session.Questions[0].Id, 3)), EngineTestKit.Now);

        Assert.IsType<PostFeedback>(step.Actions[0]);
        Assert.IsType<PostScorecard>(step.Actions[^1]);
        Assert.Equal(SessionPhase.Completed, step.Session.Phase);
    }

    [Fact]
    public void An_undefined_plan_gets_a_clear_reply_instead_of_an_exception()
    {
        var start = new InterviewEngine(SampleQuestions.Bank()).Start("s", "c", new InterviewOptions((InterviewPlan)99), 1, new HashSet<string>(), EngineTestKit.Now);

        Assert.Null(start.Session);
        Assert.Contains("Unknown plan", Assert.IsType<PostNotice>(Assert.Single(start.Actions)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_written_follow_up_replaces_the_banks_text_on_screen_on_repeat_and_for_the_judge()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge();
        var request = kit.Engine.FollowUpRequestFor(kit.Session);

        kit.Send(new FollowUpWritten(kit.Session.Current, "You said you would cache answers: what is your cache hit target?"));
        var repeated = Assert.IsType<PostQuestion>(Assert.Single(kit.Send(new RepeatRequested())));
        kit.Send(new AnswerSubmitted("About 30% because half of all tickets are password resets."));

        Assert.NotNull(request);
        Assert.Equal("An answer with enough words to be judged.", request.LastAnswer);
        Assert.Equal("You said you would cache answers: what is your cache hit target?", repeated.Text);
        Assert.Equal(repeated.Text, kit.LastActions.OfType<RequestJudgement>().Single().Request.FollowUp);
        Assert.Null(kit.Engine.FollowUpRequestFor(kit.Session));
    }

    [Fact]
    public void A_written_follow_up_for_an_item_no_longer_on_screen_changes_nothing()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        var before = kit.Session;

        var actions = kit.Send(new FollowUpWritten(new InterviewItem(0, 0), "late text"));

        Assert.Empty(actions);
        Assert.Same(before, kit.Session);
        Assert.Null(kit.Engine.FollowUpRequestFor(kit.Session));
    }

    [Fact]
    public void A_late_written_follow_up_cannot_rewrite_one_already_answered()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.SystemDesign, questions: 1);
        kit.AnswerAndJudge();
        var item = kit.Session.Current;
        kit.Send(new AnswerSubmitted("follow-up answer"));
        var judging = kit.Session;

        Assert.Empty(kit.Send(new FollowUpWritten(item, "late text")));
        Assert.Same(judging, kit.Session);
    }
}
