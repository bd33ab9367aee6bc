using System.Text.Json;

namespace Mockingbird.Discord.Gateway;

/// <summary>
/// A gateway event (op 0) handed to the bot: its type (e.g. <c>INTERACTION_CREATE</c>), data and sequence number.
/// <c>READY</c> comes without its data: only that a new session started matters to the bot.
/// </summary>
public sealed record GatewayDispatch(string Type, JsonElement Data, long Sequence);

/// <summary>
/// Receives the dispatches the bot acts on. Calls run off the receive loop, at most a few dozen at once; dispatches
/// of one channel arrive one after another, in the order Discord sent them.
/// </summary>
public interface IGatewayDispatchHandler
{
    Task HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken);
}

/// <summary>Why the gateway stopped: a close code Discord says never to reconnect after, or the host shutting down.</summary>
/// <param name="CloseCode">The fatal close code (4004, 4010–4014), or null when the gateway did not stop for one.</param>
public sealed record GatewayStopReason(int? CloseCode, string Description)
{
    public bool IsFatal => CloseCode is not null;
}
