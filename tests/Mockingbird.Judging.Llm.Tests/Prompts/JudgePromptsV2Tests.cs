using System.Text.Json.Nodes;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests.Prompts;

public sealed class JudgePromptsV2Tests : IDisposable
{
    private static readonly string ShippedPrompts = Path.Combine(RepositoryPaths.Root, "prompts");
    private static readonly PromptLibrary Shipped = PromptLibrary.Load(ShippedPrompts).Library;
    private readonly string _scratch = Directory.CreateTempSubdirectory("judge-prompts-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string> JudgePrompts() =>
        [.. new[] { "judge-behavioral", "judge-theory", "judge-design", "judge-questions-to-ask", "judge-ml-coding" }];

    /// <summary>One sample question per stage, with a follow-up the main answer leaves to probe.</summary>
    private static Question SampleFor(string prompt) => prompt switch
    {
        "judge-behavioral" => SampleQuestions.Incident,
        "judge-theory" => SampleQuestions.Attention,
        "judge-design" => SampleQuestions.SupportAssistant,
        "judge-questions-to-ask" => SampleQuestions.AskEvaluation,
        _ => SampleQuestions.Softmax,
    };

    private static async Task<(string System, string User)> RenderAsync(PromptDefinition prompt, JudgeRequest request)
    {
        var rendered = await PromptChecks.RenderAsync(prompt, LlmJudge.Arguments(request, prompt, "=====ANSWER-0123456789abcdef====="), default);
        Assert.Equal(["system", "user"], PromptChecks.MessageRoles(rendered));
        var chat = LlmJudge.ToChat(rendered);
        return (chat[0].Content!, chat[1].Content!);
    }

    private static JudgeRequest MainAnswer(Question question) => new(question, null, "I would start from what the users need and explain why.");

    private static JudgeRequest FollowUp(Question question) =>
        new(question, "Can you say more?", "Because it keeps the cost down.", [question.Rubric[0].Text]);

    [Theory]
    [MemberData(nameof(JudgePrompts))]
    public async Task V4_is_the_default_judge_prompt_and_earlier_versions_stay_for_comparison(string name)
    {
        var latest = Shipped.Latest(name)!;

        Assert.Equal("v4", latest.Version);
        Assert.NotNull(Shipped.Find(name, "v1"));
        Assert.Empty(await PromptChecks.CheckAsync(latest, default));
        Assert.Empty(await PromptChecks.CheckAsync(Shipped.Find(name, "v3")!, default));
        Assert.Empty(await PromptChecks.CheckAsync(Shipped.Find(name, "v2")!, default));
        Assert.Empty(await PromptChecks.CheckAsync(Shipped.Find(name, "v1")!, default));
    }

    [Fact]
    public void An_experiment_can_still_give_candidates_v1_beside_v2()
    {
        var file = Path.Combine(_scratch, "experiments.yaml");
        File.WriteAllText(file, """
            experiments:
              - id: judge-theory-anchors
                prompt: judge-theory
                smallest_difference: 0.1
                variants:
                  - version: v1
                    weight: 50
                  - version: v2
                    weight: 50
            """);

        var (experiments, problems) = PromptExperiments.Load(file, Shipped);

        Assert.Empty(problems);
        var versions = Enumerable.Range(0, 40).Select(i => experiments.Choose("judge-theory", $"u-{i}")!.Prompt.Version).ToHashSet();
        Assert.Equal(["v1", "v2"], versions.Order());
    }

    [Theory]
    [MemberData(nameof(JudgePrompts))]
    public async Task V2_renders_anchors_reply_keys_and_the_reference_answer_for_a_main_answer(string name)
    {
        var prompt = Shipped.Latest(name)!;
        var question = SampleFor(name) with { ReferenceAnswer = "A strong answer in the bank's own words." };

        var (system, user) = await RenderAsync(prompt, MainAnswer(question));

        foreach (var dimension in LlmJudge.AllDimensionNames(question.Stage, followUp: false))
        {
            Assert.Contains($"\n{dimension}: ", system, StringComparison.Ordinal);
        }

        Assert.Contains("  4: ", system, StringComparison.Ordinal);
        Assert.Contains("\"next_drill\" (string)", system, StringComparison.Ordinal);
        Assert.Contains("Reference answer:\nA strong answer in the bank's own words.\n", user, StringComparison.Ordinal);
        Assert.Contains("(nothing: this is the main answer)\nFollow-up being answered: (none: this is the main answer)\n", user, StringComparison.Ordinal);
        Assert.Contains($"Dimensions to score: {string.Join(", ", LlmJudge.Dimensions(question, followUp: false).Select(d => d.Name))}\n", user, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(JudgePrompts))]
    public async Task V2_renders_a_follow_up_without_a_reference_answer_listing_what_was_covered_and_only_its_dimensions(string name)
    {
        var prompt = Shipped.Latest(name)!;
        var question = SampleFor(name) with { ReferenceAnswer = null };

        var (system, user) = await RenderAsync(prompt, FollowUp(question));

        var anchored = prompt.Scoring!.FollowUp.Select(d => d.Dimension);
        Assert.Equal(["coverage", "depth"], anchored);
        var otherDimensions = LlmJudge.AllDimensionNames(question.Stage, followUp: false).Except(anchored);
        Assert.All(otherDimensions, d => Assert.DoesNotContain($"\n{d}: ", system, StringComparison.Ordinal));
        Assert.Contains("Reference answer:\n(none for this question: judge against the rubric alone)\n", user, StringComparison.Ordinal);
        Assert.Contains($"Already covered by earlier answers (credited; do not judge, never missed):\n- {question.Rubric[0].Text}\nFollow-up being answered: Can you say more?\n", user, StringComparison.Ordinal);

    }

    [Theory]
    [MemberData(nameof(JudgePrompts))]
    public async Task The_v2_stable_prefix_is_byte_identical_for_every_question_of_a_stage(string name)
    {
        var prompt = Shipped.Latest(name)!;
        var one = SampleFor(name);
        var other = one with
        {
            Id = "another",
            Prompt = "A different question of the same stage?",
            Rubric = [new RubricPoint("A different point", ["different"], DesignDimension.Cost)],
            Dimensions = one.Dimensions.Count > 0 ? [DesignDimension.Cost] : [],
            ReferenceAnswer = "Another reference.",
        };

        foreach (var followUp in new[] { false, true })
        {
            var first = await PromptChecks.RenderAsync(prompt, LlmJudge.Arguments(followUp ? FollowUp(one) : MainAnswer(one), prompt, "=====A====="), default);
            var second = await PromptChecks.RenderAsync(prompt, LlmJudge.Arguments(followUp ? FollowUp(other) : MainAnswer(other), prompt, "=====B====="), default);
            var prefix = first[..first.IndexOf("Question: ", StringComparison.Ordinal)];
            var system = LlmJudge.ToChat(first)[0].Content!;

            Assert.StartsWith(prefix, second, StringComparison.Ordinal);
            Assert.Equal(system, LlmJudge.ToChat(second)[0].Content);
            Assert.Contains("Score anchors", system, StringComparison.Ordinal);
            Assert.Contains("\"covered\" (array of objects)", system, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_reply_format_names_every_key_of_the_schema_with_its_type()
    {
        var described = JudgeReplySchema.Describe();
        var schema = JsonNode.Parse(JudgeReplySchema.For(["coverage"], ["A point"]))!.AsObject();

        var keys = new List<string>();
        Walk(schema, keys);

        Assert.Equal(["covered", "point", "quote", "missed", "dimensions", "name", "evidence", "rationale", "score", "outline", "next_drill"], keys);
        Assert.All(keys, key => Assert.Matches($"\"{key}\" \\((string|integer|array of (string|object)s)\\)", described));

        static void Walk(JsonObject node, List<string> keys)
        {
            foreach (var (key, value) in node["properties"]!.AsObject())
            {
                keys.Add(key);
                if (value!["items"] is JsonObject { } items && items["properties"] is not null)
                {
                    Walk(items, keys);
                }
            }
        }
    }

    private const string ScoredPrompt = """
        name: judge-theory
        template: |
          <message role="system">{{$scoring_guide}}</message>
          <message role="user">{{$answer}}</message>
        input_variables:
          - name: scoring_guide
          - name: answer
        scoring:
          answer:
            - dimension: correctness
              means: is it true
              levels: { 1: wrong, 2: partly, 3: mostly, 4: precise }
          follow_up:
            - dimension: coverage
              means: what it adds
              levels: { 1: none, 2: one, 3: some, 4: all }
            - dimension: depth
              means: why
              levels: { 1: none, 2: some, 3: mechanism, 4: mechanism and cost }
        """;

    private PromptLibrary LoadScratch(string yaml, out IReadOnlyList<PromptProblem> problems)
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "judge-theory"));
        File.WriteAllText(Path.Combine(_scratch, "judge-theory", "v1.yaml"), yaml);
        var (library, loadProblems) = PromptLibrary.Load(_scratch);
        problems = loadProblems;
        return library;
    }

    [Fact]
    public async Task A_judge_prompt_that_anchors_other_dimensions_than_its_stage_scores_is_a_problem()
    {
        var library = LoadScratch(ScoredPrompt, out var problems);
        Assert.Empty(problems);

        var checks = await PromptChecks.CheckAsync(library.Latest("judge-theory")!, default);

        var problem = Assert.Single(checks);
        Assert.Contains("scoring.answer anchors correctness; the theory judge scores exactly correctness, coverage, depth, trade-offs-and-examples", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dimension_without_an_anchor_for_every_level_is_a_problem()
    {
        LoadScratch(ScoredPrompt.Replace("{ 1: wrong, 2: partly, 3: mostly, 4: precise }", "{ 1: wrong, 4: precise }", StringComparison.Ordinal), out var problems);

        var problem = Assert.Single(problems);
        Assert.Contains("scoring dimension 'correctness' needs", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_template_that_shows_anchors_without_a_scoring_section_is_a_problem()
    {
        var yaml = ScoredPrompt[..ScoredPrompt.IndexOf("scoring:", StringComparison.Ordinal)];
        var library = LoadScratch(yaml, out _);

        var checks = await PromptChecks.CheckAsync(library.Latest("judge-theory")!, default);

        Assert.Contains(checks, p => p.Message.Contains("no scoring section", StringComparison.Ordinal));
    }
}
