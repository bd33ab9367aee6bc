namespace Mockingbird.Slack;

/// <summary>Who the bot is in the workspace, as <c>auth.test</c> said at start-up.</summary>
internal sealed class SlackBotIdentity
{
    private string? _userId;

    /// <summary>The bot's user id, which is the <c>parent_user_id</c> of every reply in an interview thread.</summary>
    public string? UserId
    {
        get => Volatile.Read(ref _userId);
        set => Volatile.Write(ref _userId, value);
    }
}
