using Mockingbird.Interview.Planning;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemorySessionStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static InterviewSession Session(string id = "s-1", string candidate = "c-1", SessionPhase phase = SessionPhase.AwaitingAnswer) => new(
        id, candidate, new InterviewOptions(InterviewPlan.Theory), 1,
        [new PlannedQuestion("q-1", Stage.Theory), new PlannedQuestion("q-2", Stage.Theory)],
        new InterviewItem(0), phase, [], new Dictionary<string, int>(), false, Now, Now);

    [Fact]
    public async Task A_new_session_is_saved_at_version_one_and_found_as_the_candidates_active_session()
    {
        var store = new InMemorySessionStore();

        var version = await store.SaveAsync(Session(), 0, CancellationToken.None);
        var found = await store.FindActiveAsync("c-1", CancellationToken.None);

        Assert.Equal(1, version);
        Assert.Equal(("s-1", 1L), (found!.Session.Id, found.Version));
    }

    [Fact]
    public async Task A_save_against_a_stale_version_is_refused_and_changes_nothing()
    {
        var store = new InMemorySessionStore();
        await store.SaveAsync(Session(), 0, CancellationToken.None);
        await store.SaveAsync(Session() with { UpdatedAt = Now.AddMinutes(1) }, 1, CancellationToken.None);

        var stale = await store.SaveAsync(Session() with { UpdatedAt = Now.AddMinutes(5) }, 1, CancellationToken.None);

        Assert.Null(stale);
        Assert.Equal(Now.AddMinutes(1), (await store.FindActiveAsync("c-1", CancellationToken.None))!.Session.UpdatedAt);
    }

    [Fact]
    public async Task A_second_session_cannot_be_created_while_one_is_active()
    {
        var store = new InMemorySessionStore();
        await store.SaveAsync(Session(), 0, CancellationToken.None);

        Assert.Null(await store.SaveAsync(Session(id: "s-2"), 0, CancellationToken.None));
    }

    [Fact]
    public async Task A_completed_session_is_no_longer_active_and_only_the_questions_it_asked_count_as_seen()
    {
        var store = new InMemorySessionStore();
        await store.SaveAsync(Session(), 0, CancellationToken.None);

        await store.SaveAsync(Session(phase: SessionPhase.Completed), 1, CancellationToken.None);

        Assert.Null(await store.FindActiveAsync("c-1", CancellationToken.None));
        Assert.Equal(["q-1"], await store.SeenQuestionsAsync("c-1", CancellationToken.None));
        Assert.Empty(await store.SeenQuestionsAsync("someone-else", CancellationToken.None));
    }
}
