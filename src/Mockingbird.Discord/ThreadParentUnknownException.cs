namespace Mockingbird.Discord;

/// <summary>
/// No channel could be found to open an interview thread in: the interaction named no channel that could be read, or
/// came from a thread whose parent is not known. Opening the thread where the command was used could nest a thread in
/// a thread, so the candidate is told instead.
/// </summary>
internal sealed class ThreadParentUnknownException : Exception
{
    public ThreadParentUnknownException()
    {
    }

    public ThreadParentUnknownException(string message)
        : base(message)
    {
    }

    public ThreadParentUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
