using Mockingbird.Slack.Rendering;

namespace Mockingbird.Slack.Tests.Rendering;

public sealed class SlackTextTests
{
    [Theory]
    [InlineData("if a &lt; b &amp;&amp; c &gt; d", "if a < b && c > d")]
    [InlineData("the text &amp;lt; stays", "the text &lt; stays")]
    [InlineData("see <https://arxiv.org/abs/1706.03762|the paper> and <https://example.com>", "see the paper and https://example.com")]
    [InlineData("ask <@U123|ada> in <#C456|ml-study>", "ask ada in ml-study")]
    [InlineData("hey <!here>", "hey here")]
    [InlineData("no markup at all", "no markup at all")]
    public void An_answer_is_read_as_the_candidate_typed_it_not_as_slack_escaped_it(string sent, string typed)
    {
        Assert.Equal(typed, SlackText.Plain(sent));
    }

    [Fact]
    public void Escaping_what_was_unescaped_gives_back_what_slack_sent_for_plain_text()
    {
        const string sent = "a &lt; b &amp;&amp; c &gt; d";

        Assert.Equal(sent, SlackRenderer.Escape(SlackText.Plain(sent)));
    }
}
