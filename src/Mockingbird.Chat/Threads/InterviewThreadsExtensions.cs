using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Threads;

public static class InterviewThreadsExtensions
{
    /// <summary>
    /// Lets go of the candidate's thread once their interview has ended (the actions just posted hold its
    /// scorecard): later messages there are conversation, not answers, and a new interview opens a new thread. A new
    /// interview started while the scorecard was being posted keeps its own thread.
    /// </summary>
    public static async Task ReleaseIfCompletedAsync(this IInterviewThreads threads, string candidateId, string thread, IReadOnlyList<InterviewAction> actions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(threads);
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Any(a => a is PostScorecard))
        {
            await threads.RemoveIfCurrentAsync(candidateId, thread, cancellationToken);
        }
    }
}
