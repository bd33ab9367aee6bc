using System.Text.Json;

namespace Mockingbird.Slack.SocketMode;

/// <summary>
/// One Socket Mode envelope: <c>events_api</c>, <c>slash_commands</c> or <c>interactive</c>, with the payload Slack would
/// have POSTed over HTTP. <see cref="RetryAttempt"/> and <see cref="RetryReason"/> are set when Slack sends an
/// unacknowledged <c>events_api</c> envelope again.
/// </summary>
public sealed record SlackEnvelope(
    string EnvelopeId,
    string Type,
    JsonElement Payload,
    bool AcceptsResponsePayload,
    int? RetryAttempt,
    string? RetryReason);

/// <summary>
/// Receives the envelopes Slack sends over Socket Mode. <see cref="Acknowledge"/> runs on the receive loop before the
/// acknowledgement goes out; <see cref="HandleAsync"/> runs afterwards, off the loop, a few dozen at a time.
/// </summary>
public interface ISlackEnvelopeHandler
{
    /// <summary>
    /// Decides the acknowledgement quickly (no slow I/O): null = plain ack; otherwise the JSON payload to send with the
    /// ack (only used when <see cref="SlackEnvelope.AcceptsResponsePayload"/>).
    /// </summary>
    JsonElement? Acknowledge(SlackEnvelope envelope);

    /// <summary>The work after the ack; runs off the receive loop.</summary>
    Task HandleAsync(SlackEnvelope envelope, CancellationToken cancellationToken);
}

/// <summary>Why Socket Mode stopped: Slack refused the app-level token, or the host shut it down.</summary>
/// <param name="Error">Slack's error code when the token was refused (e.g. <c>invalid_auth</c>); null otherwise.</param>
public sealed record SocketModeStopReason(string? Error, string Description)
{
    public bool IsFatal => Error is not null;
}
