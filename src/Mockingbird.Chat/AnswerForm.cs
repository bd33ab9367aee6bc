using System.Globalization;
using System.Text;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>One text input of the <see cref="AnswerForm"/>.</summary>
/// <param name="Id">What the platform echoes back for the input (the same on every platform).</param>
public sealed record AnswerFormField(string Id, string Label, int MaxLength, bool Required);

/// <summary>
/// The long-answer form as every platform shows it: its title, buttons and inputs, and how the submitted inputs
/// become one answer. A platform's text input holds fewer characters than the engine accepts in an answer, so the
/// form has as many inputs as the longest answer needs; only the first must be filled.
/// </summary>
public sealed class AnswerForm
{
    public const string Title = "Your answer";

    public const string Submit = "Send answer";

    public const string Close = "Cancel";

    /// <summary>Between the inputs' texts in the answer: a blank line, so each input reads as its own paragraph.</summary>
    private const string Separator = "\n\n";

    private AnswerForm(IReadOnlyList<AnswerFormField> fields) => Fields = fields;

    public IReadOnlyList<AnswerFormField> Fields { get; }

    /// <summary>The form for a platform whose text inputs hold at most <paramref name="inputLimit"/> characters.</summary>
    public static AnswerForm For(int inputLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputLimit, Separator.Length + 1);
        var limit = new InterviewRules().MaxAnswerCharacters;
        var inputs = (limit + inputLimit - 1) / inputLimit;

        // The inputs are joined with a blank line, so the last one leaves room for the joins: a form filled to every
        // input's limit is still an answer the engine takes, never one refused as too long.
        var last = limit - ((inputs - 1) * (inputLimit + Separator.Length));
        if (last < 1)
        {
            inputs++;
            last = limit - ((inputs - 1) * (inputLimit + Separator.Length));
        }

        return new AnswerForm([.. Enumerable.Range(1, inputs).Select(n => new AnswerFormField(
            string.Create(CultureInfo.InvariantCulture, $"mb:answer-{n}"),
            n == 1 ? "Answer" : string.Create(CultureInfo.InvariantCulture, $"Answer, continued ({n})"),
            n == inputs ? Math.Min(inputLimit, last) : inputLimit,
            Required: n == 1))]);
    }

    /// <summary>The inputs' values, in the form's order, as one answer: blank inputs dropped, the rest as paragraphs.</summary>
    public static string Answer(IEnumerable<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder();
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                text.Append(text.Length == 0 ? string.Empty : Separator).Append(value.Trim());
            }
        }

        return text.ToString();
    }
}
