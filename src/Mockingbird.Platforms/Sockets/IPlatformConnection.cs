namespace Mockingbird.Platforms.Sockets;

/// <summary>Whether a platform's socket client is connected right now, for health checks and start-up waits.</summary>
public interface IPlatformConnection
{
    bool IsConnected { get; }

    /// <summary>Completes once connected; throws <see cref="InvalidOperationException"/> once the client has stopped for good.</summary>
    Task WaitUntilConnectedAsync(CancellationToken cancellationToken);
}
