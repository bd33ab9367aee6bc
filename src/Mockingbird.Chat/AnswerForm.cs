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

    private AnswerForm(IReadOnlyList<AnswerFormField> fields) => Fields = fields;

    public IReadOnlyList<AnswerFormField> Fields { get; }

    /// <summary>The form for a platform whose text inputs hold at most <paramref name="inputLimit"/> characters.</summary>
    public static AnswerForm For(int inputLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputLimit, 1);
        var inputs = (new InterviewRules().MaxAnswerCharacters + inputLimit - 1) / inputLimit;
        return new AnswerForm([.. Enumerable.Range(1, inputs).Select(n => new AnswerFormField(
            string.Create(CultureInfo.InvariantCulture, $"mb:answer-{n}"),
            n == 1 ? "Answer" : string.Create(CultureInfo.InvariantCulture, $"Answer, continued ({n})"),
            inputLimit,
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
                text.Append(text.Length == 0 ? string.Empty : "\n\n").Append(value.Trim());
            }
        }

        return text.ToString();
    }
}
