using Mockingbird.Interview.Scoring;

namespace Mockingbird.Interview.Tests;

public sealed class SentencesTests
{
    [Fact]
    public void A_sentence_ends_at_a_stop_a_question_mark_or_an_exclamation_mark_followed_by_space_and_at_every_line_break()
    {
        Assert.Equal(
            ["We shard by user.", "Why?", "Hot keys!", "Then we cache", "the rest"],
            Sentences.Split("We shard by user. Why? Hot keys! Then we cache\n\n  the rest  "));
    }

    [Fact]
    public void Examples_and_comparisons_written_with_abbreviations_stay_inside_their_sentence()
    {
        Assert.Equal(
            ["Use a cheap model (e.g. a distilled one) first, i.e. a cascade, vs. one big model, etc. and log it.", "Then measure."],
            Sentences.Split("Use a cheap model (e.g. a distilled one) first, i.e. a cascade, vs. one big model, etc. and log it. Then measure."));
    }

    [Fact]
    public void Probabilities_inclusions_and_citations_written_with_abbreviations_stay_inside_their_sentence()
    {
        Assert.Equal(
            ["Accept each draft token w.p. min(1, p/q), incl. the last, esp. at low temperature, as Leviathan et al. show.", "Then resample."],
            Sentences.Split("Accept each draft token w.p. min(1, p/q), incl. the last, esp. at low temperature, as Leviathan et al. show. Then resample."));
    }

    [Fact]
    public void A_sentence_that_ends_on_a_unit_or_a_bare_no_ends_there()
    {
        Assert.Equal(
            ["The budget is 50 ms.", "A false positive costs a sale.", "No.", "It drifts."],
            Sentences.Split("The budget is 50 ms. A false positive costs a sale. No. It drifts."));
    }

    [Fact]
    public void A_sentence_whose_stop_is_inside_a_quotation_or_bracket_ends_after_it()
    {
        Assert.Equal(
            ["She said \"ship it.\"", "(We did not.)", "It broke."],
            Sentences.Split("She said \"ship it.\" (We did not.) It broke."));
    }
}
