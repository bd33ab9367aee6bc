namespace Mockingbird.Discord;

/// <summary>
/// How the bot names itself to Discord, in the form Discord requires of REST calls (<c>DiscordBot ($url, $version)</c>);
/// the gateway's WebSocket handshake carries the same, so both show up alike to Discord and to a proxy.
/// </summary>
internal static class DiscordUserAgent
{
    public const string Value = "DiscordBot (https://github.com/mockingbird-bot/mockingbird, 1.0)";
}
