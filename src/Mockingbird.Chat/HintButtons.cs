using System.Globalization;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>
/// What a hint button carries back: the prompt's position and the hint it was posted to give (<c>3:1:2</c> = hint 2
/// on follow-up 1 of question 3, <c>3::1</c> = hint 1 on question 3 itself), so a second click of the same button
/// cannot take a second hint.
/// </summary>
public static class HintButtons
{
    public static string Encode(QuestionPosition on, int hintNumber) =>
        string.Create(CultureInfo.InvariantCulture, $"{QuestionPositions.Encode(on)}:{hintNumber}");

    public static HintRequested? Decode(string? text)
    {
        // Buttons posted before they carried a number hold the position alone. They sat under the question as first
        // asked, before any hint, so they ask for hint 1: once it is shown they are refused instead of taking hint 2.
        if (QuestionPositions.Decode(text) is { } unnumbered)
        {
            return new HintRequested(unnumbered, 1);
        }

        var cut = text?.LastIndexOf(':') ?? -1;
        return cut > 0
            && int.TryParse(text.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number > 0
            && QuestionPositions.Decode(text![..cut]) is { } on
                ? new HintRequested(on, number)
                : null;
    }
}
