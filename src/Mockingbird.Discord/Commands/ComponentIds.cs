using System.Globalization;

namespace Mockingbird.Discord.Commands;

/// <summary>The <c>custom_id</c>s of the bot's buttons and form; Discord echoes them back when one is used.</summary>
internal static class ComponentIds
{
    public const string AnswerForm = "mb:answer";
    public const string Hint = "mb:hint";
    public const string Skip = "mb:skip";
    public const string End = "mb:end";

    /// <summary>The modal that takes a long answer.</summary>
    public const string AnswerModal = "mb:answer-modal";

    /// <summary>The modal's text inputs: three of Discord's 4,000-character fields hold the engine's 12,000-character answer.</summary>
    public static readonly IReadOnlyList<string> AnswerFields = ["mb:answer-1", "mb:answer-2", "mb:answer-3"];

    private const string RatePrefix = "mb:rate:";

    public static string Rate(int turn, bool helpful) => string.Create(CultureInfo.InvariantCulture, $"{RatePrefix}{turn}:{(helpful ? "up" : "down")}");

    public static bool TryParseRate(string customId, out int turn, out bool helpful)
    {
        turn = 0;
        helpful = false;
        if (!customId.StartsWith(RatePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = customId[RatePrefix.Length..].Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out turn) || parts[1] is not ("up" or "down"))
        {
            return false;
        }

        helpful = parts[1] == "up";
        return true;
    }
}
