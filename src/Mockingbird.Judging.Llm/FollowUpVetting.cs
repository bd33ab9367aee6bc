using Mockingbird.Interview.Questions;
using Mockingbird.Judging.Rubric;

namespace Mockingbird.Judging.Llm;

/// <summary>
/// The check every LLM-written follow-up passes before a candidate sees it, whether the interviewer wrote it or the
/// judge wrote it in the same call as its judgement. It is shown to the candidate and later read by the judge as the
/// question, so it is vetted like an answer: one short question, nothing addressed to a judge, and no rubric point
/// given away (the candidate may have asked for them to be recited).
/// </summary>
internal static class FollowUpVetting
{
    /// <summary>The text as a model wrote it, without the quotation marks models like to wrap a question in.</summary>
    public static string? Clean(string? text) => text?.Trim().Trim('"', '“', '”').Trim();

    public static bool Acceptable(string? text, Question question)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 400 || !text.Contains('?', StringComparison.Ordinal) || RubricJudge.AddressesTheJudge(text))
        {
            return false;
        }

        var words = Words(text);
        return !question.Rubric.Select(point => Words(point.Text)).Any(point => point.Length >= 3 && SharesRun(words, point, Math.Min(5, point.Length)));
    }

    private static string[] Words(string text) => text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '?', '!', '(', ')'], StringSplitOptions.RemoveEmptyEntries);

    private static bool SharesRun(string[] text, string[] point, int length)
    {
        var runs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + length <= point.Length; i++)
        {
            runs.Add(string.Join(' ', point, i, length));
        }

        for (var i = 0; i + length <= text.Length; i++)
        {
            if (runs.Contains(string.Join(' ', text, i, length)))
            {
                return true;
            }
        }

        return false;
    }
}
