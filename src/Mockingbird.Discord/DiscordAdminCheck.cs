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
    public string? Place => interaction.GuildId is { } guild ? $"discord:{guild}" : null;

    public Task<bool> ManagesAsync(CancellationToken cancellationToken) => Task.FromResult(DiscordDailyAccess.ManagesServer(interaction));
}
