namespace Mockingbird.Platforms;

/// <summary>A live connection to a chat platform (a gateway, a Socket Mode socket), as readiness reports it.</summary>
public interface IPlatformConnection
{
    /// <summary>What the connection is, for the health report: <c>discord-gateway</c>, <c>slack-socket-mode</c>.</summary>
    string Name { get; }

    /// <summary>True while events can arrive over it.</summary>
    bool IsConnected { get; }
}
