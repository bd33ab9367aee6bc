namespace Mockingbird.Interview.Sessions;

/// <summary>
/// Another poster holds part of this delivery right now. Not a failure: the judging job is left to come back after
/// the reclaim timeout, by when that poster has finished or its claim has run out. The queue still counts these
/// returns, so a hold that never ends cannot keep a job going round forever.
/// </summary>
public sealed class DeliveryHeldElsewhereException : Exception
{
    public DeliveryHeldElsewhereException()
    {
    }

    public DeliveryHeldElsewhereException(string message)
        : base(message)
    {
    }

    public DeliveryHeldElsewhereException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The part found held, when known: a hold that moves on to a later part is a poster making progress.</summary>
    public string? PartKey { get; init; }
}
