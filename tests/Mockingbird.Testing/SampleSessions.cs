using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Testing;

/// <summary>Small sessions for store tests: a theory interview of three questions, no turn taken yet.</summary>
public static class SampleSessions
{
    public static InterviewSession Theory(DateTimeOffset startedAt, string candidate = "c-1", string id = "s-1", SessionPhase phase = SessionPhase.AwaitingAnswer, int current = 0) => new(
        id,
        candidate,
        new InterviewOptions(InterviewPlan.Theory),
        7,
        [new PlannedQuestion("q-1", Stage.Theory), new PlannedQuestion("q-2", Stage.Theory), new PlannedQuestion("q-3", Stage.Theory)],
        new InterviewItem(current),
        phase,
        [],
        new Dictionary<string, int>(),
        false,
        startedAt,
        startedAt);
}
