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
/// Receives the envelopes Slack sends, over Socket Mode or the HTTP endpoint. <see cref="ReceiveAsync"/> runs before
/// the envelope is acknowledged and records whatever must not be lost (an answer typed in a thread), so Slack hears
/// "received" only once it is; what can wait comes back as <see cref="SlackReceipt.Then"/>, run after the ack.
/// </summary>
public interface ISlackEnvelopeHandler
{
    /// <summary>Parses the envelope and does its durable part; quick, since Slack wants the ack within 3 seconds.</summary>
    Task<SlackReceipt> ReceiveAsync(SlackEnvelope envelope, CancellationToken cancellationToken);
}

public enum SlackReceiptOutcome
{
    /// <summary>Acknowledge (with <see cref="SlackReceipt.ResponsePayload"/> where the envelope accepts one).</summary>
    Accepted,

    /// <summary>
    /// What had to be recorded could not be: do not acknowledge, so Slack delivers the event again (HTTP 503; no ack
    /// over Socket Mode).
    /// </summary>
    NotRecorded,

    /// <summary>Not an envelope the bot can read: acknowledged over Socket Mode (a retry would not read better), 400 over HTTP.</summary>
    Malformed,
}

/// <summary>What receiving an envelope came to, and the work to run once Slack has its answer.</summary>
public sealed record SlackReceipt(SlackReceiptOutcome Outcome, JsonElement? ResponsePayload = null, Func<CancellationToken, Task>? Then = null)
{
    public static readonly SlackReceipt Nothing = new(SlackReceiptOutcome.Accepted);

    public static readonly SlackReceipt Malformed = new(SlackReceiptOutcome.Malformed);

    public static SlackReceipt Accepted(Func<CancellationToken, Task>? then) => new(SlackReceiptOutcome.Accepted, Then: then);

    public static SlackReceipt NotRecorded(Func<CancellationToken, Task>? then) => new(SlackReceiptOutcome.NotRecorded, Then: then);
}

/// <summary>Why Socket Mode stopped: Slack refused the app-level token, or the host shut it down.</summary>
/// <param name="Error">Slack's error code when the token was refused (e.g. <c>invalid_auth</c>); null otherwise.</param>
public sealed record SocketModeStopReason(string? Error, string Description)
{
    public bool IsFatal => Error is not null;
}
