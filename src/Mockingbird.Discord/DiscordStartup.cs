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
    /// <summary>Discord's JSON code for an unauthorised request, which compatible servers send with statuses other than 401.</summary>
    private const int Unauthorized = 40001;

    private const int InvalidAuthenticationToken = 50014;

    private const int MissingAccess = 50001;

    private const int NotThisApplication = 20012;

    private readonly DiscordOptions _options = options.Value;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await rest.GetCurrentUserAsync(cancellationToken);
            Log.SignedIn(logger, me.Username ?? me.Id);
        }
        catch (DiscordApiException ex) when (ex.Status == 401 || ex.Code is Unauthorized or InvalidAuthenticationToken)
        {
            throw new InvalidOperationException($"Discord rejected Discord:BotToken ({Answer(ex)}). Copy a fresh token from the Developer Portal's Bot page.", ex);
        }

        if (!_options.RegisterCommands)
        {
            return;
        }

        if (_options.DevelopmentGuildIds.Count == 0)
        {
            await RegisterAsync(guildId: null, "globally", cancellationToken);
            return;
        }

        foreach (var guild in _options.DevelopmentGuildIds)
        {
            await RegisterAsync(guild, $"in guild {guild}", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Answer(DiscordApiException refusal) =>
        refusal.Code == 0 ? $"HTTP {refusal.Status}" : $"HTTP {refusal.Status}, Discord code {refusal.Code}";

    private async Task RegisterAsync(string? guildId, string where, CancellationToken cancellationToken)
    {
        try
        {
            await rest.BulkOverwriteCommandsAsync(DiscordCommands.Definitions, guildId, cancellationToken);
        }
        catch (DiscordApiException ex)
        {
            var advice = ex.Code switch
            {
                MissingAccess => "Invite the bot with the applications.commands scope (to each of Discord:DevelopmentGuildIds, if set)",
                NotThisApplication => "Discord:ApplicationId must be the id of the application the token belongs to",
                _ => "Set Discord:RegisterCommands=false to start with the commands registered before",
            };
            throw new InvalidOperationException($"Discord refused to register the /mock commands {where}: {ex.Route} answered {Answer(ex)}. {advice}.", ex);
        }

        Log.Registered(logger, where);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Signed in to Discord as {BotName}")]
        public static partial void SignedIn(ILogger logger, string botName);

        [LoggerMessage(2, LogLevel.Information, "Registered the /mock commands {Where}")]
        public static partial void Registered(ILogger logger, string where);
    }
}
