using System.Text.Json;
using System.Text.Json.Nodes;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Slack.Rendering;
using Mockingbird.Slack.Tests.Fakes;
using Mockingbird.Slack.Wire;
using Mockingbird.Testing;

namespace Mockingbird.Slack.Tests.Rendering;

public sealed class SlackRendererTests
{
    private const string Hostile = "<!channel> look at <@U123> & <https://evil.example|this> ";

    private static readonly Feedback LongFeedback = HostileActions.LongFeedback(Hostile, 600);

    private static IReadOnlyList<InterviewAction> EveryKind() => HostileActions.EveryKind(Hostile, 600, followUpPadding: 5000);

    private static JsonNode BlocksJson(SlackMessage message) =>
        JsonNode.Parse(JsonSerializer.Serialize(new PostMessage("C1", message.Text, message.Blocks), SlackJson.Default.PostMessage))!["blocks"]!;

    [Fact]
    public void Every_kind_of_message_keeps_within_block_kit_limits()
    {
        var messages = SlackRenderer.Messages(EveryKind());

        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.Empty(BlockKitRules.CheckMessageBlocks(BlocksJson(m))));
        Assert.All(messages, m => Assert.InRange(m.Text.Length, 1, 150));
    }

    [Fact]
    public void An_end_report_with_a_full_debrief_keeps_within_block_kit_limits_with_every_quote_inert()
    {
        var messages = SlackRenderer.Messages([HostileActions.EndReport(Hostile)]);

        var sections = messages.SelectMany(m => m.Blocks).Select(b => b.Text?.Text ?? string.Empty).ToList();
        Assert.All(messages, m => Assert.Empty(BlockKitRules.CheckMessageBlocks(BlocksJson(m))));
        Assert.All(sections, s => Assert.InRange(s.Length, 0, SlackRenderer.SectionLimit));
        var text = string.Concat(sections);
        Assert.Contains("Debrief: the rounds read together", text, StringComparison.Ordinal);
        Assert.Contains("Weakest:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U123>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_from_candidates_and_models_cannot_mention_or_link()
    {
        var text = string.Concat(SlackRenderer.Messages(EveryKind()).SelectMany(m => m.Blocks).Select(b => b.Text?.Text));

        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@U123>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://", text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt; look at &lt;@U123&gt; &amp; &lt;https://evil.example|this&gt;", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Buttons_sit_under_the_text_they_belong_to_and_carry_the_question_or_the_prompt_that_wrote_the_feedback()
    {
        var fromPrompt = LongFeedback with { Source = new FeedbackSource("llm", "gpt-test", "judge-design", "v3", "abc", "default") };
        var messages = SlackRenderer.Messages([new PostFeedback(4, 2, null, fromPrompt), new PostQuestion(3, 7, Stage.Theory, "q", "Next?", 1, false)]);

        var actions = messages.Select(m => m.Blocks[^1]).Where(b => b.Type == "actions").ToList();
        Assert.Equal(2, actions.Count);
        Assert.Equal(["mb:rate-up", "mb:rate-down", "mb:disagree"], actions[0].Elements!.Select(e => e.ActionId));
        Assert.Equal(["judge-design@v3", "judge-design@v3", $"4|{fromPrompt.QuestionId}|judge-design@v3"], actions[0].Elements!.Select(e => e.Value));
        Assert.Equal(["mb:answer", "mb:hint", "mb:skip", "mb:end"], actions[1].Elements!.Select(e => e.ActionId));
        Assert.Equal("3:1:1", actions[1].Elements![1].Value);
    }

    [Fact]
    public void A_long_run_of_ampersands_renders_with_every_escape_whole_and_no_stray_amp()
    {
        var messages = SlackRenderer.Messages([new PostNotice(new string('&', 4000))]);

        var sections = messages.SelectMany(m => m.Blocks).Select(b => b.Text!.Text).ToList();
        Assert.True(sections.Count > 1);
        Assert.All(sections, s => Assert.DoesNotContain("&", s.Replace("&amp;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.All(sections, s => Assert.DoesNotContain("amp;", s.Replace("&amp;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Equal(4000, sections.Sum(s => SlackText.Plain(s).Count(c => c == '&')));
        Assert.All(messages, m => Assert.DoesNotContain("amp;", m.Text.Replace("&amp;", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal));
    }
}
