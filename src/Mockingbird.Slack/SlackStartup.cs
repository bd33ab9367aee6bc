using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mockingbird.Slack.Web;

namespace Mockingbird.Slack;

/// <summary>Before the bot takes any traffic, proves the bot token works: a rejected one stops start-up with one clear line.</summary>
internal sealed partial class SlackStartup(ISlackWebApi web, SlackBotIdentity identity, ILogger<SlackStartup> logger) : IHostedService
{
    private static readonly HashSet<string> Rejected = new(StringComparer.Ordinal) { "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type" };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var me = await web.AuthTestAsync(cancellationToken);
            identity.UserId = me.UserId;
            Log.SignedIn(logger, me.UserId ?? "?", me.TeamId ?? "?");
        }
        catch (SlackApiException ex) when (Rejected.Contains(ex.Error))
        {
            throw new InvalidOperationException($"Slack rejected Slack:BotToken ({ex.Error}). Copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page.", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Signed in to Slack as bot user {BotUserId} in workspace {TeamId}")]
        public static partial void SignedIn(ILogger logger, string botUserId, string teamId);
    }
}
