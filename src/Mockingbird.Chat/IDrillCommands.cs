namespace Mockingbird.Chat;

/// <summary>Runs <c>drills</c>: practice that comes back lives outside the chat flow, which only hands the command on.</summary>
public interface IDrillCommands
{
    /// <summary>The reply for the candidate alone.</summary>
    Task<string> RunAsync(ChatRequest request, ChatCommand.Drills command, string commandName, CancellationToken cancellationToken);
}
