using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Interview.Tests;

public sealed class JobDescriptionTests
{
    private const string LlmPosting = """
        Senior ML Engineer, LLM platform

        What you'll do:
        - Build retrieval-augmented generation services over our support knowledge base
        - Own evals for LLM features and catch hallucinations before customers do
        - Optimize inference latency and GPU cost of our serving stack
        - 5+ years of experience with PyTorch and distributed training
        - Excellent communication with product stakeholders
        """;

    private static readonly QuestionBank Bank = new(
    [
        SampleQuestions.Attention with { Id = "theory-rag", Topics = ["rag", "retrieval"] },
        SampleQuestions.Attention with { Id = "theory-attention", Topics = ["attention"] },
        SampleQuestions.Attention with { Id = "theory-hallucination", Topics = ["hallucination", "llm-evaluation"] },
        SampleQuestions.Attention with { Id = "theory-gradients", Topics = ["optimisation"], Tracks = [Track.Research] },
        SampleQuestions.Attention with { Id = "theory-drift", Topics = ["drift"], Tracks = [Track.Mlops] },
        SampleQuestions.Attention with { Id = "theory-boosting", Topics = ["gradient-boosting"] },
    ]);

    private static JobDescription Read(string text) =>
        JobDescription.Read(text, Bank).Job ?? throw new InvalidOperationException(JobDescription.Read(text, Bank).Problem);

    [Fact]
    public void A_posting_with_bullets_gives_its_bullet_lines_as_requirements()
    {
        var job = Read(LlmPosting);

        Assert.Equal(
        [
            "Build retrieval-augmented generation services over our support knowledge base",
            "Own evals for LLM features and catch hallucinations before customers do",
            "Optimize inference latency and GPU cost of our serving stack",
            "5+ years of experience with PyTorch and distributed training",
            "Excellent communication with product stakeholders",
        ], job.Requirements);
    }

    [Fact]
    public void A_posting_names_bank_topics_by_their_own_names_and_by_the_words_postings_use()
    {
        var job = Read(LlmPosting);

        Assert.Contains("rag", job.Topics);
        Assert.Contains("retrieval", job.Topics);
        Assert.Contains("hallucination", job.Topics);
        Assert.Contains("llm-evaluation", job.Topics);
        Assert.DoesNotContain("attention", job.Topics);
        Assert.DoesNotContain("drift", job.Topics);
    }

    [Fact]
    public void American_spellings_name_the_banks_british_topics()
    {
        var job = Read("We need someone for model optimization work on our ranking stack, with tuning of learning rates, schedules and batch sizes for large runs.");

        Assert.Contains("optimisation", job.Topics);
    }

    [Fact]
    public void A_topic_is_named_only_at_the_start_of_a_word()
    {
        var job = Read("Our fragile legacy pipelines need a careful engineer who writes tests, documents decisions and reviews code with care every single day.");

        Assert.DoesNotContain("rag", job.Topics);
    }

    [Fact]
    public void A_posting_full_of_infrastructure_leans_to_the_mlops_track()
    {
        var job = Read("""
            - Run our Kubernetes training and serving infrastructure
            - Build CI/CD pipelines for model deployment
            - Set up monitoring and on-call for model services
            """);

        Assert.Equal(Track.Mlops, job.Track);
    }

    [Fact]
    public void A_posting_that_leans_nowhere_names_no_track()
    {
        var job = Read("We are hiring an engineer to build machine learning systems end to end, from the first notebook to the model everyone relies on.");

        Assert.Null(job.Track);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n  ")]
    public void An_empty_posting_is_refused_with_a_clear_reason(string? text)
    {
        var reading = JobDescription.Read(text, Bank);

        Assert.Null(reading.Job);
        Assert.Contains("empty", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversize_posting_is_refused_and_told_the_limit()
    {
        var reading = JobDescription.Read(new string('x', JobDescription.MaxCharacters + 1), Bank);

        Assert.Null(reading.Job);
        Assert.Contains("4,001 characters", reading.Problem, StringComparison.Ordinal);
        Assert.Contains("4,000", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_title_alone_is_too_short_to_tailor_to()
    {
        var reading = JobDescription.Read("Senior ML Engineer, LLM platform", Bank);

        Assert.Null(reading.Job);
        Assert.Contains("too short", reading.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_requirement_is_cut_at_a_word_and_marked()
    {
        var job = Read($"- Design {string.Join(' ', Enumerable.Repeat("scalable retrieval", 30))}\n- Ship evaluation tooling for ranking models used by millions");

        var first = job.Requirements[0];
        Assert.True(first.Length <= JobDescription.MaxRequirementLength, first);
        Assert.EndsWith("retrieval…", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_posting_without_bullets_gives_its_sentences_as_requirements()
    {
        var job = Read("You will build ranking models for search. You will own their offline evaluation and online experiments. Bonus: Rust.");

        Assert.Equal(["You will build ranking models for search.", "You will own their offline evaluation and online experiments."], job.Requirements);
    }

    [Fact]
    public void A_requirement_that_gives_examples_or_lists_clauses_is_split_at_its_clauses_and_not_after_an_abbreviation()
    {
        var job = Read("You know an LLM framework (e.g. LangChain or DSPy) and vector stores vs. plain search. You have shipped rankers; you have run A/B tests.");

        Assert.Equal(
            ["You know an LLM framework (e.g. LangChain or DSPy) and vector stores vs. plain search.", "You have shipped rankers;", "you have run A/B tests."],
            job.Requirements);
    }

    [Fact]
    public void An_answer_covers_a_requirement_when_it_speaks_to_its_terms_not_its_filler()
    {
        const string requirement = "5+ years of experience with PyTorch and distributed training";

        Assert.True(JobDescription.Covers(requirement, "I trained the model with PyTorch FSDP across 64 GPUs."));
        Assert.False(JobDescription.Covers(requirement, "I have many years of experience."));
        Assert.False(JobDescription.Covers(requirement, "We used JAX."));
    }

    [Fact]
    public void Questions_on_the_postings_topics_are_chosen_first()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 2) { Job = Read(LlmPosting) };

        var chosen = QuestionSelector.Select(Bank, options, seed: 7, new HashSet<string>()).Questions.Select(q => q.Id);

        Assert.Equal(["theory-hallucination", "theory-rag"], chosen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Questions_on_the_postings_track_come_before_others_when_no_topic_decides()
    {
        var job = new JobDescription(["Run the platform"], [], Track.Mlops);
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1) { Job = job };

        var chosen = Enumerable.Range(0, 8).Select(seed => QuestionSelector.Select(Bank, options, (ulong)seed, new HashSet<string>()).Questions.Single().Id).Distinct();

        Assert.Equal(["theory-drift"], chosen);
    }

    [Fact]
    public void Unseen_questions_still_come_before_seen_ones_that_suit_the_job_better()
    {
        var options = new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1) { Job = Read(LlmPosting) };

        var chosen = QuestionSelector.Select(Bank, options, seed: 3, new HashSet<string> { "theory-rag", "theory-hallucination" }).Questions.Single();

        Assert.NotEqual("theory-rag", chosen.Id);
        Assert.NotEqual("theory-hallucination", chosen.Id);
    }

    [Fact]
    public void Every_judgement_of_a_tailored_interview_carries_the_jobs_requirements_for_its_follow_up()
    {
        var job = new JobDescription(["Own evals for LLM features", "Ship retrieval for support"], ["rag"], null);
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var session = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1) { Job = job }, 7, new HashSet<string>(), EngineTestKit.Now).Session!;

        var step = engine.Handle(session, new AnswerSubmitted("Because the variance grows with the dimension."), EngineTestKit.Now.AddMinutes(1));

        Assert.Equal(job.Requirements, step.Actions.OfType<RequestJudgement>().Single().Request.JobRequirements);
    }

    [Fact]
    public void The_scorecard_of_a_tailored_interview_says_which_of_the_jobs_requirements_the_answers_spoke_to()
    {
        var job = new JobDescription(["Experience with PyTorch and distributed training", "Own evals for LLM features"], [], null);
        var engine = new InterviewEngine(SampleQuestions.Bank());
        var session = engine.Start("s-1", "c-1", new InterviewOptions(InterviewPlan.Theory, QuestionCount: 1) { Job = job }, 7, new HashSet<string>(), EngineTestKit.Now).Session!;

        var answered = engine.Handle(session, new AnswerSubmitted("I trained it in PyTorch with FSDP, distributed over 64 GPUs."), EngineTestKit.Now.AddMinutes(1));
        var request = answered.Actions.OfType<RequestJudgement>().Single();
        var judged = engine.Handle(answered.Session, new JudgementReady(request.TurnNumber, EngineTestKit.Feedback(request.Request.Question.Id, 3)), EngineTestKit.Now.AddMinutes(2));
        var card = judged.Actions.OfType<PostScorecard>().Single().Scorecard;

        Assert.Equal([0], judged.Session.JobRequirementsCovered);
        Assert.Equal([new RequirementCoverage(job.Requirements[0], true), new RequirementCoverage(job.Requirements[1], false)], card.JobCoverage);
    }

    [Fact]
    public void An_interview_without_a_job_description_has_no_requirement_lines()
    {
        var kit = new EngineTestKit().Start(InterviewPlan.Theory, questions: 1);

        kit.AnswerAndJudge();

        Assert.Null(kit.LastActions.OfType<PostScorecard>().Single().Scorecard.JobCoverage);
    }
}
