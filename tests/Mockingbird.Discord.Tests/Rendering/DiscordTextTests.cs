using System.Text;
using Mockingbird.Discord.Rendering;

namespace Mockingbird.Discord.Tests.Rendering;

public sealed class DiscordTextTests
{
    [Fact]
    public void Text_within_the_limit_is_one_piece()
    {
        Assert.Equal(["short answer"], DiscordText.Split("  short answer \n"));
    }

    [Fact]
    public void Long_text_is_split_on_paragraph_breaks_and_no_piece_exceeds_the_limit()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(i => $"Paragraph {i}: " + new string('x', 300)).ToList();

        var pieces = DiscordText.Split(string.Join("\n\n", paragraphs));

        Assert.All(pieces, p => Assert.InRange(p.Length, 1, DiscordText.MessageLimit));
        Assert.All(pieces, p => Assert.StartsWith("Paragraph", p, StringComparison.Ordinal));
        Assert.Equal(string.Join("\n\n", paragraphs), string.Join("\n\n", pieces));
    }

    [Fact]
    public void A_single_word_longer_than_the_limit_is_cut_without_splitting_a_surrogate_pair()
    {
        var text = new string('a', 1999) + "😀" + new string('b', 500);

        var pieces = DiscordText.Split(text);

        Assert.All(pieces, p => Assert.InRange(p.Length, 1, DiscordText.MessageLimit));
        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.False(char.IsHighSurrogate(p[^1])));
    }

    [Theory]
    [InlineData("@everyone look", "@\u200Beveryone look")]
    [InlineData("ping <@1234> and <@&99>", "ping <@\u200B1234> and <@\u200B&99>")]
    [InlineData("no mentions here", "no mentions here")]
    public void Mentions_in_echoed_text_are_made_inert(string text, string expected)
    {
        Assert.Equal(expected, DiscordText.Inert(text));
    }

    [Fact]
    public void Nonces_fit_discords_25_characters_and_repeat_only_for_the_same_delivery_and_part()
    {
        var first = DiscordText.Nonce("discord:1:session-with-a-long-id:3", 0);

        Assert.Equal(25, first.Length);
        Assert.Equal(first, DiscordText.Nonce("discord:1:session-with-a-long-id:3", 0));
        Assert.NotEqual(first, DiscordText.Nonce("discord:1:session-with-a-long-id:3", 1));
        Assert.NotEqual(first, DiscordText.Nonce("discord:1:session-with-a-long-id:4", 0));
    }

    /// <summary>Tokens Discord renders only whole: mentions (also as made inert), channels, commands, emoji, timestamps, links.</summary>
    private static readonly string[] Tokens = ["<@12>", "<@\u200B34>", "<@&56>", "<#789>", "</mock start:12>", "<:ab:12>", "<a:ab:34>", "<t:17:R>", "<id:browse>", "<https://a.b>"];

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(27)]
    [InlineData(40)]
    public void Text_split_at_small_limits_keeps_every_token_whole_and_rejoins_to_the_original(int limit)
    {
        var random = new Random(limit);
        for (var round = 0; round < 500; round++)
        {
            var text = RandomContent(random);

            var pieces = DiscordText.Split(text, limit);

            Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, limit));
            Assert.All(Tokens, token => Assert.Equal(Occurrences(text, token), pieces.Sum(piece => Occurrences(piece, token))));
            Assert.Equal(WithoutSpace(text), WithoutSpace(string.Concat(pieces)));
        }
    }

    private static string RandomContent(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(1, 160);
        while (text.Length < length)
        {
            text.Append(random.Next(6) switch
            {
                0 or 1 => Tokens[random.Next(Tokens.Length)],
                2 => " ",
                3 => "\n",
                _ => new string([.. Enumerable.Range(0, random.Next(1, 14)).Select(_ => "&<>ab"[random.Next(5)])]),
            });
        }

        return text.ToString();
    }

    private static int Occurrences(string text, string token)
    {
        var count = 0;
        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + token.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string WithoutSpace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
