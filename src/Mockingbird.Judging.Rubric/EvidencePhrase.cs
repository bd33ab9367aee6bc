namespace Mockingbird.Judging.Rubric;

/// <summary>
/// An evidence phrase of a rubric point, reduced to stems. It is found in an answer either word for word (in any
/// inflection), or, when it has two or more content words, with those words in any order inside one clause and only a
/// few other words between them: "a small draft model" is found in "the draft comes from a model that is small".
/// </summary>
internal sealed class EvidencePhrase
{
    /// <summary>How many words beyond the phrase's own may separate its content words inside a clause.</summary>
    private const int Gap = 3;

    private static readonly HashSet<string> StopStems = [.. AnswerText.StopWords.Select(WordStems.Of)];

    private readonly IReadOnlyList<string> stems;

    private readonly HashSet<string> content;

    public EvidencePhrase(string phrase)
    {
        Text = phrase;
        stems = [.. AnswerText.Words(phrase).Select(WordStems.Of)];
        content = [.. stems.Where(s => !StopStems.Contains(s))];
    }

    public string Text { get; }

    /// <summary>The phrase's words, reduced to stems.</summary>
    public IReadOnlyList<string> Stems => stems;

    public bool IsEmpty => stems.Count == 0;

    /// <summary>How many of the phrase's words are not stop words.</summary>
    public int ContentWords => content.Count;

    /// <remarks>A clause that dismisses what it names ("we can skip the feature store") is no evidence of it.</remarks>
    public bool IsFoundIn(Sentence sentence) =>
        (sentence.ClauseDismisses.Contains(true)
            ? sentence.CreditableClauseStems.Any(clause => AnswerText.Contains(clause, stems))
            : AnswerText.Contains(sentence.Stems, stems))
        || (content.Count >= 2 && sentence.CreditableClauseStems.Any(InAnyOrder));

    private bool InAnyOrder(IReadOnlyList<string> clause)
    {
        var window = stems.Count + Gap;
        for (var start = 0; start < clause.Count; start++)
        {
            if (!content.Contains(clause[start]))
            {
                continue;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = start; i < Math.Min(clause.Count, start + window); i++)
            {
                if (content.Contains(clause[i]) && seen.Add(clause[i]) && seen.Count == content.Count)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
