using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Interview.Sessions;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

/// <summary>The dispute commands over in-memory stores and a clock held at <see cref="SampleDisputes.Start"/>.</summary>
internal sealed class InMemoryDisputeRig
{
    public InMemoryDisputeRig()
    {
        var options = Options.Create(new SessionStoreOptions());
        Sessions = new InMemorySessionStore(options, Clock);
        var desk = new DisputeDesk(Store, Voters, Options.Create(new DisputeOptions()), Clock, NullLogger<DisputeDesk>.Instance);
        Commands = new DisputeCommands(desk, Voters, Sessions, new InMemoryInterviewThreads(options, Clock), SampleQuestions.Bank());
    }

    public FakeTimeProvider Clock { get; } = new(SampleDisputes.Start);

    public InMemoryDisputeStore Store { get; } = new();

    public InMemoryDisputeVoters Voters { get; } = new();

    public InMemorySessionStore Sessions { get; }

    public DisputeCommands Commands { get; }

    /// <summary>Writes the finished interview, as the bot keeps it, so a dispute can be filed on it.</summary>
    public async Task<InterviewSession> FinishedAsync(InterviewSession finished)
    {
        await Sessions.WriteAsync(new SessionWrite(finished, 0), default);
        return finished;
    }
}
