using System.Globalization;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>
/// A question's position as the text a button or form carries back (<c>3:1</c> = follow-up 1 on question 3,
/// <c>3:</c> = question 3 itself), so a click can be matched to the question it was posted with.
/// </summary>
public static class QuestionPositions
{
    public static string Encode(QuestionPosition on)
    {
        ArgumentNullException.ThrowIfNull(on);
        return string.Create(CultureInfo.InvariantCulture, $"{on.Number}:{on.FollowUpNumber}");
    }

    public static QuestionPosition? Decode(string? text)
    {
        var parts = (text ?? string.Empty).Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        if (parts[1].Length == 0)
        {
            return new QuestionPosition(number, null);
        }

        return int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var followUp) ? new QuestionPosition(number, followUp) : null;
    }
}
