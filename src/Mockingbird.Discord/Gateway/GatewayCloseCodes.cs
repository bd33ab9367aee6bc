namespace Mockingbird.Discord.Gateway;

/// <summary>What the client does after the gateway closes the socket.</summary>
internal enum GatewayNextStep
{
    Resume,
    Identify,
    Stop,
}

internal static class GatewayCloseCodes
{
    /// <summary>Discord's documented gateway close codes, sorted by what they allow.</summary>
    public static GatewayNextStep NextStep(int? closeCode) => closeCode switch
    {
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => GatewayNextStep.Stop,
        // Invalid sequence and session timeout both end the session: reconnect, but identify afresh.
        4007 or 4009 => GatewayNextStep.Identify,
        // Any other code, or a socket that dropped without one, leaves the session resumable.
        _ => GatewayNextStep.Resume,
    };

    /// <summary>One sentence a person running the bot can act on.</summary>
    public static string FatalReason(int closeCode) => closeCode switch
    {
        4004 => "Discord rejected the bot token (4004): check Discord:BotToken against the Bot page of the Developer Portal.",
        4010 => "Discord refused the shard (4010): Discord:ShardId must be below Discord:ShardCount.",
        4011 => "Discord requires sharding (4011): the bot is in too many guilds for one connection; raise Discord:ShardCount.",
        4012 => "Discord refused the gateway API version (4012): this build speaks gateway v10.",
        4013 => "Discord refused the intents as invalid (4013).",
        4014 => "Discord refused the privileged MESSAGE_CONTENT intent (4014): enable Message Content Intent on the Bot page of the Developer Portal.",
        _ => $"Discord closed the gateway with {closeCode}.",
    };
}
