namespace Mockingbird.Platforms.Sockets;

/// <summary>The timings and bounds a platform gives its <see cref="ReconnectingSocket"/>.</summary>
public sealed class ReconnectingSocketOptions
{
    /// <summary>The first reconnect waits about this long; each failed attempt doubles it, up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Handler calls running at once; read once, when the socket is made.</summary>
    public int HandlerSlots { get; set; } = 64;

    /// <summary>On shutdown, handlers still running get this long before their token is cancelled.</summary>
    public TimeSpan HandlerDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection is given up when its upgrade is not answered within this time, or then its first frame.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a close frame may take to send, and then how long the server gets to answer it.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);
}
