using Mockingbird.Chat;
using Mockingbird.Discord.Daily;
using Mockingbird.Discord.Wire;

namespace Mockingbird.Discord;

/// <summary>
/// A Discord admin is whoever holds Manage Server or Administrator, which Discord computes into the interaction
/// itself: nothing needs asking.
/// </summary>
internal sealed class DiscordAdminCheck(Interaction interaction) : IAdminCheck
{
    public string? Place => PlaceOf(interaction);

    /// <summary>The server an interaction came from, as <see cref="IAdminCheck.Place"/> names it; null in a direct message.</summary>
    public static string? PlaceOf(Interaction interaction) => interaction.GuildId is { Length: > 0 } guild ? $"discord:{guild}" : null;

    public Task<bool> ManagesAsync(CancellationToken cancellationToken) => Task.FromResult(DiscordDailyAccess.ManagesServer(interaction));
}
