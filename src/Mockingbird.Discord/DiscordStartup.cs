using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mockingbird.Discord.Commands;
using Mockingbird.Discord.Rest;

namespace Mockingbird.Discord;

/// <summary>
/// Before the bot takes any traffic: proves the token works (a rejected one stops start-up with one clear line) and
/// registers the <c>/mock</c> commands, per development guild when some are configured (instant) or globally.
/// </summary>
internal sealed partial class DiscordStartup(IDiscordRest rest, IOptions<DiscordOptions> options, ILogger<DiscordStartup> logger) : IHostedService
{
    private readonly DiscordOptions _options = options.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await rest.GetCurrentUserAsync(cancellationToken);
            Log.SignedIn(logger, me.Username ?? me.Id);
        }
        catch (DiscordApiException ex) when (ex.Status == 401)
        {
            throw new InvalidOperationException("Discord rejected Discord:BotToken (401 Unauthorized). Copy a fresh token from the Developer Portal's Bot page.", ex);
        }

        if (!_options.RegisterCommands)
        {
            return;
        }

        if (_options.DevelopmentGuildIds.Count == 0)
        {
            await rest.BulkOverwriteCommandsAsync(DiscordCommands.Definitions, guildId: null, cancellationToken);
            Log.Registered(logger, "globally");
            return;
        }

        foreach (var guild in _options.DevelopmentGuildIds)
        {
            await rest.BulkOverwriteCommandsAsync(DiscordCommands.Definitions, guild, cancellationToken);
            Log.Registered(logger, $"in guild {guild}");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Signed in to Discord as {BotName}")]
        public static partial void SignedIn(ILogger logger, string botName);

        [LoggerMessage(2, LogLevel.Information, "Registered the /mock commands {Where}")]
        public static partial void Registered(ILogger logger, string where);
    }
}
