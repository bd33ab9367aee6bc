namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>A run of bare terms is a list and earns nothing; a note that states something is not one, however it is punctuated.</summary>
public sealed class ListReadingTests
{
    [Theory]
    [InlineData("fp16/bf16 input: upcast, accumulate in float32")]
    [InlineData("scores = Q @ K transposed / sqrt(d_head), shape (B, H, T, T), softmax over the key axis")]
    [InlineData("shape (B, H, T, T), softmax over keys")]
    public void A_slash_inside_a_term_or_commas_inside_brackets_do_not_make_a_note_a_list(string note)
    {
        Assert.False(Assert.Single(AnswerText.Split($"- {note}")).IsList);
    }

    [Theory]
    [InlineData("KV cache, PagedAttention, prefix caching, GQA")]
    [InlineData("KV cache / PagedAttention / prefix caching / GQA")]
    [InlineData("bias; variance; regularisation; dropout")]
    [InlineData("time-based split, forward chaining, group k-fold, target leakage, nested cross-validation")]
    public void Terms_separated_by_commas_spaced_slashes_or_semicolons_are_still_a_list(string terms)
    {
        Assert.True(Assert.Single(AnswerText.Split($"- {terms}")).IsList);
    }
}
