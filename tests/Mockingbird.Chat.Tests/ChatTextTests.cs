using System.Text.RegularExpressions;

namespace Mockingbird.Chat.Tests;

public sealed partial class ChatTextTests
{
    [Fact]
    public void A_code_block_cut_in_two_is_closed_and_reopened_and_no_cut_falls_inside_an_atom()
    {
        var text = "```\n" + string.Concat(Enumerable.Repeat("{x}", 40)) + "\n```";

        var pieces = ChatText.Split(text, 20, Braced());

        Assert.All(pieces, piece => Assert.InRange(piece.Length, 1, 20));
        Assert.All(pieces, piece => Assert.StartsWith("```", piece, StringComparison.Ordinal));
        Assert.All(pieces, piece => Assert.EndsWith("```", piece, StringComparison.Ordinal));
        Assert.Equal(40, pieces.Sum(piece => Braced().Count(piece)));
        Assert.All(pieces, piece => Assert.DoesNotContain(Braced().Replace(piece, string.Empty), c => c is '{' or '}'));
    }

    [Fact]
    public void An_atom_longer_than_a_piece_is_still_cut_so_the_text_is_not_lost()
    {
        var text = "{" + new string('x', 50) + "}";

        var pieces = ChatText.Split(text, 20, Braced());

        Assert.Equal(text, string.Concat(pieces));
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("abcdefghijkl", 10, "abcdefghi…")]
    [InlineData("ab{cdefgh}ij", 10, "ab…")]
    [InlineData("abcdefgh😀ij", 10, "abcdefgh…")]
    public void Shortened_text_keeps_atoms_and_surrogate_pairs_whole(string text, int limit, string expected)
    {
        Assert.Equal(expected, ChatText.Shorten(text, limit, Braced()));
    }

    [GeneratedRegex("{[^{}]*}")]
    private static partial Regex Braced();
}
