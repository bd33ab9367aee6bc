using System.Text.Json;
using Mockingbird.Discord.Rendering;
using Mockingbird.Discord.Tests.Fakes;
using Mockingbird.Discord.Wire;
using Mockingbird.Interview.Judging;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Discord.Tests.Rendering;

public sealed class DiscordRendererTests
{
    private const string Hostile = "@everyone look at <@123> and <@&456> ";

    private static readonly Feedback LongFeedback = HostileActions.LongFeedback(Hostile, 300);

    private static IReadOnlyList<InterviewAction> EveryKind() => HostileActions.EveryKind(Hostile, 300);

    [Fact]
    public void Every_kind_of_message_fits_discords_limits_and_passes_its_published_schema()
    {
        var messages = DiscordRenderer.Messages(EveryKind(), "session:1");

        Assert.True(messages.Count > 1);
        foreach (var message in messages)
        {
            var json = JsonSerializer.Serialize(message, DiscordJson.Default.MessageCreate);
            Assert.Empty(DiscordSpec.Validate(DiscordSpec.MessageCreate, json));
            Assert.InRange(message.Content!.Length, 1, DiscordText.MessageLimit);
            Assert.Equal(AllowedMentions.None, message.AllowedMentions);
            Assert.True(message.EnforceNonce);
        }
    }

    [Fact]
    public void Echoed_text_from_candidates_and_models_never_holds_a_live_mention()
    {
        var text = string.Concat(DiscordRenderer.Messages(EveryKind(), "session:1").Select(m => m.Content));

        Assert.DoesNotContain("@everyone", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@123>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@&456>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_end_report_with_a_full_debrief_is_split_within_discords_limits_with_every_quote_inert()
    {
        var messages = DiscordRenderer.Messages([HostileActions.EndReport(Hostile)], "session:9");

        var text = string.Concat(messages.Select(m => m.Content));
        Assert.True(messages.Count > 1, "a debrief this long needs more than one message");
        Assert.All(messages, m => Assert.InRange(m.Content!.Length, 1, DiscordText.MessageLimit));
        Assert.All(messages, m => Assert.Empty(DiscordSpec.Validate(DiscordSpec.MessageCreate, JsonSerializer.Serialize(m, DiscordJson.Default.MessageCreate))));
        Assert.Contains("Debrief: the rounds read together", text, StringComparison.Ordinal);
        Assert.Contains("Interviewer (system design question)", text, StringComparison.Ordinal);
        Assert.Contains("Strongest:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@123>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Questions_carry_the_answer_hint_skip_and_end_buttons_and_feedback_carries_ratings_for_the_prompt_that_wrote_it()
    {
        var fromExperiment = LongFeedback with { Source = new FeedbackSource("llm", "gpt-test", "judge-design", "v2", "abc", "judge-design-2026-12/v2") };
        var messages = DiscordRenderer.Messages([new PostFeedback(4, 2, null, fromExperiment), new PostQuestion(3, 7, Stage.Theory, "q", "Next?", null, false)], "session:4");

        var ids = messages.SelectMany(m => m.Components ?? []).SelectMany(row => row.Components ?? []).Select(b => b.CustomId).ToList();
        Assert.Equal(["mb:rate:up:judge-design-2026-12/v2", "mb:rate:down:judge-design-2026-12/v2", $"mb:disagree:4|{fromExperiment.QuestionId}|judge-design-2026-12/v2", "mb:answer:3:", "mb:hint:3::1", "mb:skip:3:", "mb:end"], ids);
        Assert.Contains("Next?", messages[^1].Content, StringComparison.Ordinal);
        Assert.Equal(["mb:answer:3:", "mb:hint:3::1", "mb:skip:3:", "mb:end"], messages[^1].Components!.SelectMany(row => row.Components ?? []).Select(b => b.CustomId));
    }

    [Fact]
    public void Short_texts_share_a_message_and_nonces_differ_per_message_but_repeat_per_delivery()
    {
        IReadOnlyList<InterviewAction> actions = [new AcknowledgeAnswer(1, 50), new PostNotice("one"), new PostQuestion(2, 3, Stage.Theory, "q", "Two?", null, false), new PostNotice("after")];

        var first = DiscordRenderer.Messages(actions, "session:2");
        var again = DiscordRenderer.Messages(actions, "session:2");

        Assert.Equal(2, first.Count);
        Assert.Equal(first.Select(m => m.Nonce), again.Select(m => m.Nonce));
        Assert.NotEqual(first[0].Nonce, first[1].Nonce);
    }

    [Fact]
    public void A_long_echo_of_ampersands_and_timestamps_renders_with_no_stray_amp_and_every_token_whole()
    {
        const string Timestamp = "<t:1700000000:R>";
        var answer = new string('&', 1500) + string.Concat(Enumerable.Repeat(Timestamp, 250));

        var messages = DiscordRenderer.Messages([new PostNotice(answer)], "session:1");

        var contents = messages.Select(m => m.Content!).ToList();
        Assert.True(contents.Count > 1);
        Assert.All(contents, c => Assert.InRange(c.Length, 1, DiscordText.MessageLimit));
        Assert.All(contents, c => Assert.DoesNotContain("amp;", c, StringComparison.Ordinal));
        Assert.Equal(1500, contents.Sum(c => c.Count(ch => ch == '&')));
        Assert.Equal(250, contents.Sum(c => (c.Length - c.Replace(Timestamp, string.Empty, StringComparison.Ordinal).Length) / Timestamp.Length));
    }
}

