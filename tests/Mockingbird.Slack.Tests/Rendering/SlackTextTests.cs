using System.Text;
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

    /// <summary>What Slack reads only whole: its three escapes and the bot's own tokens (one with a space in its label).</summary>
    private static readonly string[] Atoms = ["&amp;", "&lt;", "&gt;", "<@U0ABC>", "<#C1|a b>", "<!here>", "<#C22>"];

    [Theory]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(19)]
    [InlineData(24)]
    [InlineData(41)]
    public void Escaped_text_split_at_small_limits_keeps_every_escape_and_token_whole_and_rejoins_to_the_original(int limit)
    {
        var random = new Random(limit);
        for (var round = 0; round < 500; round++)
        {
            var text = RandomMrkdwn(random);

            var pieces = SlackText.Split(text, limit);

            Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, limit));
            Assert.All(pieces, piece => Assert.True(IsWhole(piece), $"'{piece}' is cut from '{text}'"));
            Assert.Equal(WithoutSpace(text), WithoutSpace(string.Concat(pieces)));
            Assert.Equal(WithoutSpace(SlackText.Plain(text)), WithoutSpace(string.Concat(pieces.Select(SlackText.Plain))));
        }
    }

    [Fact]
    public void Shortened_text_ends_before_an_escape_it_cannot_hold_whole()
    {
        var shortened = SlackText.Shorten("» " + SlackRenderer.Escape(new string('&', 100)), 150);

        Assert.InRange(shortened.Length, 1, 150);
        Assert.EndsWith("&amp;…", shortened, StringComparison.Ordinal);
        Assert.True(IsWhole(shortened[..^1]));
    }

    private static string RandomMrkdwn(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(1, 160);
        while (text.Length < length)
        {
            var typed = new string([.. Enumerable.Range(0, random.Next(1, 14)).Select(_ => "&<>ab"[random.Next(5)])]);
            text.Append(random.Next(7) switch
            {
                0 => Atoms[3 + random.Next(Atoms.Length - 3)],
                1 => " ",
                2 => "\n",
                _ => SlackRenderer.Escape(typed),
            });
        }

        return text.ToString();
    }

    /// <summary>Whole when, with its escapes and tokens taken out, no <c>&amp;</c>, <c>&lt;</c> or <c>&gt;</c> is left over.</summary>
    private static bool IsWhole(string piece) =>
        !Atoms.Aggregate(piece, (rest, atom) => rest.Replace(atom, " ", StringComparison.Ordinal)).Any(c => c is '&' or '<' or '>');

    private static string WithoutSpace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
