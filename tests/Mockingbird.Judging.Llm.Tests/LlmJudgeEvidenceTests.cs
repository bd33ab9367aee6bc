using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mockingbird.Interview.Judging;
using Mockingbird.Judging.Llm.Prompts;
using Mockingbird.Testing;

namespace Mockingbird.Judging.Llm.Tests;

/// <summary>Follow-ups told what was covered, the reply format in JSON-object mode, caps on checkable grounds, and quotes.</summary>
public sealed partial class LlmJudgeTests
{
    private static readonly string[] FollowUpDimensions = ["coverage", "depth"];

    private static string Rubric(int index) => SampleQuestions.Attention.Rubric[index].Text;

    /// <summary>A reply in the judge's schema: the given covered points and quotes, missed points, and every dimension scored alike.</summary>
    private static JsonObject ReplyOf(IEnumerable<string> dimensions, (string Point, string Quote)[] covered, string[] missed, int score, string evidence) => new()
    {
        ["covered"] = new JsonArray([.. covered.Select(c => (JsonNode)new JsonObject { ["point"] = c.Point, ["quote"] = c.Quote })]),
        ["missed"] = new JsonArray([.. missed.Select(m => (JsonNode)JsonValue.Create(m))]),
        ["dimensions"] = new JsonArray([.. dimensions.Select(name => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["evidence"] = new JsonArray(evidence),
            ["rationale"] = $"{name} meets the anchor.",
            ["score"] = score,
        })]),
        ["outline"] = "Variance, saturation, gradients, scaling.",
        ["next_drill"] = "Explain why scaling keeps unit variance.",
    };

    private static JudgeRequest FollowUpRequest(string answer) => new(
        SampleQuestions.Attention,
        "What changes if you learn a temperature instead?",
        answer,
        AlreadyCovered: [Rubric(0), Rubric(1)],
        CandidateId: "cand-1");

    private const string FollowUpAnswer = "A learned temperature could do the same job, but then the gradients vanish early in training unless it starts near the square root of the width.";

    [Fact]
    public async Task A_follow_up_is_told_what_the_main_answer_covered_and_is_scored_on_coverage_and_depth_alone()
    {
        _server.ThenCompletion(ReplyOf(FollowUpDimensions, [(Rubric(2), "then the gradients vanish early in training")], [Rubric(3)], 3, "then the gradients vanish early in training").ToJsonString());

        var feedback = await Judge.JudgeAsync(FollowUpRequest(FollowUpAnswer), default);

        var request = Assert.Single(_server.Requests);
        var system = FakeOpenAiServer.MessageText(request, "system");
        var user = FakeOpenAiServer.MessageText(request, "user");
        Assert.Contains("\ncoverage: ", system, StringComparison.Ordinal);
        Assert.Contains("\ndepth: ", system, StringComparison.Ordinal);
        Assert.DoesNotContain("correctness:", system, StringComparison.Ordinal);
        Assert.DoesNotContain("trade-offs-and-examples:", system, StringComparison.Ordinal);
        var covered = Between(user, "Already covered by earlier answers", "Follow-up being answered: What changes if you learn a temperature instead?");
        Assert.Equal([Rubric(0), Rubric(1)], SampleQuestions.Attention.Rubric.Select(p => p.Text).Where(p => covered.Contains(p, StringComparison.Ordinal)));
        Assert.Contains("Dimensions to score: coverage, depth\n", user, StringComparison.Ordinal);
        var properties = request["response_format"]!["json_schema"]!["schema"]!["properties"]!;
        var rubric = SampleQuestions.Attention.Rubric.Select(p => p.Text).ToList();
        Assert.Equal(rubric, properties["missed"]!["items"]!["enum"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(rubric, properties["covered"]!["items"]!["properties"]!["point"]!["enum"]!.AsArray().Select(p => p!.GetValue<string>()));

        Assert.Equal(FollowUpDimensions, feedback.Dimensions.Select(d => d.Name));
        Assert.Equal([Rubric(3)], feedback.Missed);
        Assert.Equal([new CoveredPoint(Rubric(2), "then the gradients vanish early in training")], feedback.Covered);
    }

    [Fact]
    public async Task A_follow_up_after_a_main_answer_that_covered_every_point_lists_none_as_missed()
    {
        _server.ThenCompletion(ReplyOf(FollowUpDimensions, [(Rubric(2), "then the gradients vanish early in training")], [Rubric(0), Rubric(1), Rubric(3)], 3, "then the gradients vanish early in training").ToJsonString());

        var feedback = await Judge.JudgeAsync(FollowUpRequest(FollowUpAnswer) with { AlreadyCovered = [.. SampleQuestions.Attention.Rubric.Select(p => p.Text)] }, default);

        Assert.Single(_server.Requests);
        Assert.Equal([new CoveredPoint(Rubric(2), "then the gradients vanish early in training")], feedback.Covered);
        Assert.Empty(feedback.Missed);
    }

    [Fact]
    public async Task A_follow_up_reply_that_lists_an_already_covered_point_as_missed_is_sent_back()
    {
        _server
            .ThenCompletion(ReplyOf(FollowUpDimensions, [], [Rubric(0), Rubric(2), Rubric(3)], 2, "then the gradients vanish early in training").ToJsonString())
            .ThenCompletion(ReplyOf(FollowUpDimensions, [], [Rubric(3)], 2, "then the gradients vanish early in training").ToJsonString());

        var feedback = await Judge.JudgeAsync(FollowUpRequest(FollowUpAnswer), default);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains("'missed' must list rubric points to judge exactly as written", FakeOpenAiServer.MessageText(_server.Requests[1], "user"), StringComparison.Ordinal);
        Assert.DoesNotContain(Rubric(0), feedback.Missed);
        Assert.Equal("llm:fake-model", feedback.Judge);
    }

    /// <summary>
    /// A model that writes only the keys it finds named in the prompt with their type, as small local models do when
    /// the server cannot enforce a schema: every key of the full reply the prompt does not name is left out.
    /// </summary>
    private static string OnlyNamedKeys(JsonObject request, JsonObject full)
    {
        var prompt = FakeOpenAiServer.MessageText(request, "system") + "\n" + FakeOpenAiServer.MessageText(request, "user");
        return Keep(full, prompt).ToJsonString();

        static JsonNode Keep(JsonNode node, string prompt) => node switch
        {
            JsonObject o => new JsonObject(o
                .Where(p => Regex.IsMatch(prompt, $"\"{Regex.Escape(p.Key)}\" \\({TypeWord(p.Value!)}"))
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Keep(p.Value!, prompt)))),
            JsonArray a => new JsonArray([.. a.Select(i => Keep(i!, prompt))]),
            _ => node.DeepClone(),
        };

        static string TypeWord(JsonNode value) => value.GetValueKind() switch
        {
            JsonValueKind.Array => "array",
            JsonValueKind.Object => "object",
            JsonValueKind.Number => "integer",
            _ => "string",
        };
    }

    [Fact]
    public async Task In_json_object_mode_a_model_that_writes_only_the_keys_the_prompt_names_gives_a_valid_reply()
    {
        await using var services = Services(new() { ["Llm:ReplyFormat"] = "JsonObject" });
        var full = ReplyOf(TheoryDimensions, [(Rubric(1), "the softmax would saturate")], [Rubric(3)], 3, "the softmax would saturate");
        _server.ThenCompletion(request => OnlyNamedKeys(request, full));

        var feedback = await services.GetRequiredService<IAnswerJudge>().JudgeAsync(Request(), default);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("json_object", request["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal(("llm:fake-model", "v4"), (feedback.Judge, feedback.Source!.PromptVersion));
        Assert.All(feedback.Dimensions, d => Assert.Equal(3, d.Score));
        Assert.Equal([new CoveredPoint(Rubric(1), "the softmax would saturate")], feedback.Covered);
        Assert.Contains(Rubric(3), feedback.Missed);
    }

    [Fact]
    public async Task The_same_key_following_model_fails_under_the_v1_prompt_which_names_no_keys()
    {
        var v1Only = new PromptLibrary(PromptLibrary.Load(Path.Combine(RepositoryPaths.Root, "prompts")).Library.All.Where(p => p.Version == "v1"));
        await using var services = Services(new() { ["Llm:ReplyFormat"] = "JsonObject" }, prompts: PromptExperiments.None(v1Only));
        var full = ReplyOf(TheoryDimensions, [(Rubric(1), "the softmax would saturate")], [Rubric(3)], 3, "the softmax would saturate");
        _server.ThenCompletion(request => OnlyNamedKeys(request, full)).ThenCompletion(request => OnlyNamedKeys(request, full));

        var feedback = await services.GetRequiredService<IAnswerJudge>().JudgeAsync(Request(), default);

        Assert.Equal("offline-fallback", feedback.Source!.JudgeKind);
    }

    /// <summary>The strong answer's content with none of the rubric's evidence phrases: what an offline phrase match misses.</summary>
    private const string Paraphrase =
        "When the query and key vectors get wider, their dot products spread out further, so a handful of logits dwarf all the others. " +
        "The attention weights then pile almost entirely onto one position, and learning stalls because hardly any signal flows back through those weights. " +
        "Dividing by the root of the width pulls the spread back to about one whatever the head size, so wide and narrow heads train alike.";

    [Fact]
    public async Task A_paraphrased_strong_answer_keeps_the_llms_high_score_whatever_the_offline_check_finds()
    {
        Assert.DoesNotContain(SampleQuestions.Attention.Rubric.SelectMany(p => p.Evidence), e => Paraphrase.Contains(e, StringComparison.OrdinalIgnoreCase));
        _server.ThenCompletion(ReplyOf(
            TheoryDimensions,
            [(Rubric(0), "their dot products spread out further"), (Rubric(1), "The attention weights then pile almost entirely onto one position")],
            [],
            4,
            "Dividing by the root of the width pulls the spread back to about one whatever the head size").ToJsonString());

        var feedback = await Judge.JudgeAsync(Request(Paraphrase), default);

        Assert.Equal("llm:fake-model", feedback.Judge);
        Assert.All(feedback.Dimensions, d => Assert.Equal(4, d.Score));
        Assert.Equal(4.0, feedback.Total);
        Assert.DoesNotContain(feedback.Flags, f => f.Contains("capped", StringComparison.Ordinal));
    }

    private const string Invented = "the attention collapses onto a single token";

    [Fact]
    public async Task A_reply_quoting_words_the_candidate_never_wrote_is_sent_back_then_capped_and_the_invented_quotes_are_never_shown()
    {
        var fabricated = ReplyOf(TheoryDimensions, [(Rubric(1), Invented)], [Rubric(3)], 4, Invented).ToJsonString();
        _server.ThenCompletion(fabricated).ThenCompletion(fabricated);

        var feedback = await Judge.JudgeAsync(Request(), default);

        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains("quotes text that is not in the answer", FakeOpenAiServer.MessageText(_server.Requests[1], "user"), StringComparison.Ordinal);
        Assert.Equal("llm:fake-model", feedback.Judge);
        Assert.All(feedback.Dimensions, d => Assert.Equal(LlmJudge.VerifiableCap, d.Score));
        Assert.Contains(feedback.Flags, f => f.Contains("quoted text that is not in the answer", StringComparison.Ordinal) && f.Contains("capped at 2", StringComparison.Ordinal));
        Assert.DoesNotContain(Invented, JsonSerializer.Serialize(feedback), StringComparison.OrdinalIgnoreCase);
        Assert.Contains(new CoveredPoint(Rubric(1), string.Empty), feedback.Covered);
    }

    [Fact]
    public async Task A_misquote_answered_by_a_faithful_second_reply_costs_nothing()
    {
        _server
            .ThenCompletion(ReplyOf(TheoryDimensions, [], [Rubric(3)], 4, Invented).ToJsonString())
            .ThenCompletion(ReplyOf(TheoryDimensions, [], [Rubric(3)], 4, "the softmax would saturate").ToJsonString());

        var feedback = await Judge.JudgeAsync(Request(), default);

        Assert.All(feedback.Dimensions, d => Assert.Equal(4, d.Score));
        Assert.DoesNotContain(feedback.Flags, f => f.Contains("capped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_reply_is_logged_by_kind_alone_while_the_retry_tells_the_model_what_it_quoted()
    {
        const string shortQuote = "gradients vanish";
        _server
            .ThenCompletion(ReplyOf(TheoryDimensions, [], [Rubric(3)], 3, shortQuote).ToJsonString())
            .ThenCompletion(ReplyOf(TheoryDimensions, [(Rubric(1), Invented)], [Rubric(1)], 4, "the softmax would saturate").ToJsonString());

        await Judge.JudgeAsync(Request(), default);

        Assert.Contains($"\"{shortQuote}\"", FakeOpenAiServer.MessageText(_server.Requests[1], "user"), StringComparison.Ordinal);
        var logged = _services.GetFakeLogCollector().GetSnapshot().Where(r => r.Message.Contains("was invalid", StringComparison.Ordinal)).Select(r => r.Message).ToList();
        Assert.Equal(2, logged.Count);
        Assert.EndsWith("quote_too_short", logged[0], StringComparison.Ordinal);
        Assert.EndsWith("covered_and_missed", logged[1], StringComparison.Ordinal);
        Assert.All(logged, m => Assert.DoesNotContain(shortQuote, m, StringComparison.OrdinalIgnoreCase));
        Assert.All(logged, m => Assert.DoesNotContain(Invented, m, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Covered_points_show_the_llms_own_quote_found_despite_case_spacing_and_curly_quotes_never_the_offline_one()
    {
        const string answer = "Because the dot product's variance grows with dimension, the softmax would saturate and the gradients vanish.";
        const string quote = "BECAUSE the dot product’s   variance grows with dimension";
        _server.ThenCompletion(ReplyOf(TheoryDimensions, [(Rubric(0), quote)], [Rubric(3)], 3, "the softmax would saturate").ToJsonString());

        var feedback = await Judge.JudgeAsync(Request(answer), default);

        Assert.DoesNotContain(feedback.Flags, f => f.Contains("capped", StringComparison.Ordinal));
        Assert.Equal([new CoveredPoint(Rubric(0), quote)], feedback.Covered);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"expected '{start}' before '{end}' in the prompt");
        return text[from..to];
    }
}
