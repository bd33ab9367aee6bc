namespace Mockingbird.Chat;

/// <summary>A part of the bot outside interviews that keeps things about people (study groups); forget-me reaches it too.</summary>
public interface IPersonalDataKeeper
{
    /// <summary>What it keeps, for the forget-me reply, e.g. "study-group answers and results".</summary>
    string What { get; }

    /// <summary>Deletes everything it keeps about the person (named as interviews name candidates); returns how many items went.</summary>
    Task<int> ForgetAsync(string personId, CancellationToken cancellationToken);
}
