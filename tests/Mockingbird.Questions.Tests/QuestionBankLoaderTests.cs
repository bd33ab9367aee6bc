using Mockingbird.Interview.Questions;

namespace Mockingbird.Questions.Tests;

public sealed class QuestionBankLoaderTests
{
    private static IReadOnlyList<BankProblem> ProblemsOf(string yaml)
    {
        using var bank = new BankDirectory().With("bank.yaml", yaml);
        var (loaded, problems) = QuestionBankLoader.Check(bank.Path);
        Assert.Null(loaded);
        Assert.All(problems, p => Assert.EndsWith("bank.yaml", p.File, StringComparison.Ordinal));
        return problems;
    }

    [Fact]
    public void A_valid_bank_loads_every_field()
    {
        using var dir = new BankDirectory().With("a.yaml", BankDirectory.ValidTheory).With("b.yaml", BankDirectory.ValidDesign);

        var bank = QuestionBankLoader.Load(dir.Path);

        var theory = bank.Find("theory-one")!;
        Assert.Equal((Stage.Theory, "Why scale attention logits?"), (theory.Stage, theory.Prompt));
        Assert.Equal([Level.Mid, Level.Senior], theory.Levels);
        Assert.Equal(["variance", "grows with dimension"], theory.Rubric[0].Evidence);
        var design = bank.Find("design-one")!;
        Assert.Equal([DesignDimension.Scoping, DesignDimension.Data, DesignDimension.Cost], design.Dimensions);
        Assert.Equal(DesignDimension.Cost, design.Rubric[2].Dimension);
    }

    [Fact]
    public void A_question_carries_its_reference_answer_without_folded_line_breaks()
    {
        var yaml = BankDirectory.ValidTheory + "\n    reference_answer: >\n      Dot products grow with the key dimension,\n      so scaling keeps the softmax soft.\n";
        using var dir = new BankDirectory().With("a.yaml", yaml);

        var question = QuestionBankLoader.Load(dir.Path).Find("theory-one")!;

        Assert.Equal("Dot products grow with the key dimension, so scaling keeps the softmax soft.", question.ReferenceAnswer);
    }

    private static string WithMistake(string mistake) => BankDirectory.ValidTheory.Replace(
        "        evidence: [saturate, one-hot]\n",
        "        evidence: [saturate, one-hot]\n" + mistake,
        StringComparison.Ordinal);

    [Fact]
    public void A_rubric_point_carries_its_common_mistake_with_the_patterns_in_lower_case()
    {
        using var dir = new BankDirectory().With("a.yaml", WithMistake("""
                    mistake:
                      says: ["Softmax ... stays flat", "softmax gets smoother"]
                      correction: Large logits make the softmax peaky, not flat.

            """));

        var question = QuestionBankLoader.Load(dir.Path).Find("theory-one")!;

        var mistake = Assert.IsType<KnownMistake>(question.Rubric[1].Mistake);
        Assert.Equal(["softmax ... stays flat", "softmax gets smoother"], mistake.Says);
        Assert.Equal("Large logits make the softmax peaky, not flat.", mistake.Correction);
        Assert.Null(question.Rubric[0].Mistake);
    }

    [Fact]
    public void A_mistake_carries_the_words_that_mark_a_clause_as_about_something_else_in_lower_case()
    {
        using var dir = new BankDirectory().With("a.yaml", WithMistake("""
                    mistake:
                      says: ["softmax ... stays flat"]
                      unless: [Temperature, logit]
                      correction: Large logits make the softmax peaky, not flat.

            """));

        var mistake = QuestionBankLoader.Load(dir.Path).Find("theory-one")!.Rubric[1].Mistake!;

        Assert.Equal(["temperature", "logit"], mistake.Unless);
    }

    [Fact]
    public void A_phrase_among_a_mistakes_unless_words_is_refused_on_its_line()
    {
        var problem = Assert.Single(ProblemsOf(WithMistake("""
                    mistake:
                      says: ["softmax ... stays flat"]
                      unless: [temperature, high temperature]
                      correction: Large logits make the softmax peaky, not flat.

            """)));

        Assert.Equal("question 'theory-one': a mistake's 'unless' takes single words ('high temperature' is not one)", problem.Message);
        Assert.Equal(15, problem.Line);
    }

    [Theory]
    [InlineData("a ... b ... c ... d ... e")]
    [InlineData("softmax ... ... flat")]
    [InlineData("the softmax stays very flat for large logits")]
    public void A_mistake_pattern_of_the_wrong_shape_is_refused_on_its_line(string pattern)
    {
        var problem = Assert.Single(ProblemsOf(WithMistake($$"""
                    mistake:
                      says: ["{{pattern}}"]
                      correction: Large logits make the softmax peaky.

            """)));

        Assert.Equal($"question 'theory-one': mistake pattern '{pattern}' must be 1 to 4 phrases of 1 to 6 words, joined by '...'", problem.Message);
        Assert.Equal(14, problem.Line);
    }

    [Fact]
    public void A_mistake_without_a_correction_or_with_an_unknown_field_is_refused()
    {
        var problems = ProblemsOf(WithMistake("""
                    mistake:
                      says: [softmax ... flat]
                      fix: Large logits make the softmax peaky.

            """));

        Assert.Equal(
            ["question 'theory-one' mistake: missing required field 'correction'", "question 'theory-one': unknown mistake field 'fix' (known: says, correction, unless)"],
            problems.Select(p => p.Message).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_evidence_phrase_that_the_prompt_already_says_is_refused_on_its_line()
    {
        var yaml = BankDirectory.ValidTheory.Replace("[saturate, one-hot]", "[saturate, attention logit]", StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsOf(yaml));

        Assert.Equal("question 'theory-one': evidence phrase 'attention logit' already appears in the question's prompt; use words that show understanding beyond it", problem.Message);
        Assert.Equal(12, problem.Line);
    }

    [Fact]
    public void An_evidence_phrase_inside_a_longer_word_of_the_prompt_is_allowed()
    {
        using var dir = new BankDirectory().With("a.yaml", BankDirectory.ValidTheory.Replace("[saturate, one-hot]", "[saturate, log]", StringComparison.Ordinal));

        Assert.NotNull(QuestionBankLoader.Load(dir.Path).Find("theory-one"));
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line()
    {
        var problem = Assert.Single(ProblemsOf("questions:\n  - id: x\n    stage: [theory\n    topics: [a]\n"));

        Assert.Contains("not valid YAML", problem.Message, StringComparison.Ordinal);
        Assert.InRange(problem.Line, 3, 5);
    }

    [Fact]
    public void A_missing_field_names_the_field_the_question_and_its_line()
    {
        var problem = Assert.Single(ProblemsOf(BankDirectory.ValidTheory.Replace("    prompt: Why scale attention logits?\n", string.Empty, StringComparison.Ordinal)));

        Assert.Equal("question 'theory-one': missing required field 'prompt'", problem.Message);
        Assert.Equal(2, problem.Line);
    }

    [Fact]
    public void An_unknown_stage_is_reported_on_its_own_line_with_the_allowed_stages()
    {
        var problem = Assert.Single(ProblemsOf(BankDirectory.ValidTheory.Replace("stage: theory", "stage: trivia", StringComparison.Ordinal)));

        Assert.Equal(3, problem.Line);
        Assert.Contains("unknown stage 'trivia'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("questions-to-ask", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_design_dimension_is_reported_on_its_line()
    {
        var problems = ProblemsOf(BankDirectory.ValidDesign.Replace("dimension: cost", "dimension: vibes", StringComparison.Ordinal));

        var problem = Assert.Single(problems, p => p.Message.Contains("unknown dimension 'vibes'", StringComparison.Ordinal));
        Assert.Equal(18, problem.Line);
    }

    [Fact]
    public void A_listed_dimension_without_a_rubric_point_is_an_error()
    {
        var problems = ProblemsOf(BankDirectory.ValidDesign.Replace("dimensions: [scoping, data, cost]", "dimensions: [scoping, data, cost, serving]", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.Contains("dimension 'serving' has no rubric point", StringComparison.Ordinal) && p.Line == 8);
    }

    [Fact]
    public void A_typo_in_a_field_name_is_an_error_rather_than_silently_ignored()
    {
        var problems = ProblemsOf(BankDirectory.ValidTheory.Replace("follow_ups:", "followups:", StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.StartsWith("unknown field 'followups'", StringComparison.Ordinal) && p.Line == 15);
        Assert.Contains(problems, p => p.Message.Contains("missing required field 'follow_ups'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_rubric_with_too_few_points_is_an_error()
    {
        var yaml = BankDirectory.ValidTheory.Replace("      - point: Gradients vanish\n        evidence: [vanishing gradient, small gradients]\n", string.Empty, StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsOf(yaml));

        Assert.Contains("'rubric' must be a list of 3 to 8 points", problem.Message, StringComparison.Ordinal);
        Assert.Equal(9, problem.Line);
    }

    [Fact]
    public void A_questions_to_ask_item_must_say_what_it_signals()
    {
        var yaml = BankDirectory.ValidTheory.Replace("stage: theory", "stage: questions-to-ask", StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsOf(yaml));

        Assert.Contains("'signals'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_id_names_both_places()
    {
        using var dir = new BankDirectory().With("a.yaml", BankDirectory.ValidTheory).With("b.yaml", BankDirectory.ValidTheory);

        var (bank, problems) = QuestionBankLoader.Check(dir.Path);

        Assert.Null(bank);
        var problem = Assert.Single(problems);
        Assert.EndsWith("b.yaml", problem.File, StringComparison.Ordinal);
        Assert.Equal(2, problem.Line);
        Assert.Contains("duplicate id 'theory-one'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("a.yaml:2", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_bad_bank_throws_with_every_problem_as_file_line_and_message()
    {
        using var dir = new BankDirectory().With("bad.yaml", BankDirectory.ValidTheory.Replace("stage: theory", "stage: trivia", StringComparison.Ordinal));

        var ex = Assert.Throws<QuestionBankException>(() => QuestionBankLoader.Load(dir.Path));

        Assert.Contains("bad.yaml:3: question 'theory-one': unknown stage 'trivia'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_yaml_document_is_an_error_rather_than_silently_ignored()
    {
        var problem = Assert.Single(ProblemsOf(BankDirectory.ValidTheory + "\n---\nquestions: []\n"));

        Assert.Contains("one YAML document", problem.Message, StringComparison.Ordinal);
        Assert.Equal(18, problem.Line);
    }

    [Theory]
    [InlineData(":")]
    [InlineData("a phrase far too long to be evidence")]
    public void An_evidence_phrase_must_be_one_to_four_words(string phrase)
    {
        var problem = Assert.Single(ProblemsOf(BankDirectory.ValidTheory.Replace("[saturate, one-hot]", $"[saturate, \"{phrase}\"]", StringComparison.Ordinal)));

        Assert.Contains("must be 1 to 4 words", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_bank_directory_is_a_clear_problem()
    {
        var (bank, problems) = QuestionBankLoader.Check("/nonexistent/bank");

        Assert.Null(bank);
        Assert.Contains("does not exist", Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_question_file_loads_without_the_questions_list()
    {
        using var dir = new BankDirectory().With("one.yaml", BankDirectory.ValidTheory.Replace("questions:\n  - ", "", StringComparison.Ordinal).Replace("\n    ", "\n", StringComparison.Ordinal));

        var question = QuestionBankLoader.LoadSingle(Path.Combine(dir.Path, "one.yaml"));

        Assert.Equal("theory-one", question.Id);
    }
}

public sealed class MalformedBankRobustnessTests
{
    public static TheoryData<int> Cuts() => [.. Enumerable.Range(1, 40).Select(i => i * 17)];

    [Theory]
    [MemberData(nameof(Cuts))]
    public void A_bank_file_cut_off_anywhere_and_left_unclosed_gives_problems_with_lines_never_an_exception(int cut)
    {
        var yaml = BankDirectory.ValidDesign[..Math.Min(cut, BankDirectory.ValidDesign.Length)] + "\n  - [\"";
        using var dir = new BankDirectory().With("cut.yaml", yaml);

        var (bank, problems) = QuestionBankLoader.Check(dir.Path);

        // The unclosed flow list makes every cut invalid YAML, so each must come back as problems and no bank.
        Assert.Null(bank);
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.True(p.Line >= 1, p.ToString()));
    }
}
