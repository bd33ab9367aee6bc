using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Delivery;
using Mockingbird.Chat.Stores;
using Mockingbird.Drills;
using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;
using Moq;

namespace Mockingbird.Testing;

/// <summary>Drill plans, the delivery ledger, candidates' histories and a recording platform over one fake clock.</summary>
public sealed class DrillWorld
{
    /// <summary>A Monday, 12:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, List<HistoryEntry>> _histories = new(StringComparer.Ordinal);

    public DrillWorld(IDrillStore? store = null, IDeliveryLedger? ledger = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(Start);
        Store = store ?? new InMemoryDrillStore();
        Ledger = ledger ?? new InMemoryDeliveryLedger(Microsoft.Extensions.Options.Options.Create(new SessionStoreOptions()), Time);
        var sessions = new Mock<ISessionStore>();
        sessions.Setup(s => s.HistoryAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(async (string candidateId, CancellationToken _) =>
            {
                if (BeforeHistory is { } before)
                {
                    await before(candidateId);
                }

                return _histories.TryGetValue(candidateId, out var entries) ? [.. entries] : (IReadOnlyList<HistoryEntry>)[];
            });
        Plans = new DrillPlans(Store, sessions.Object);
        Platform = new RecordingDrillPlatform(Time);
        Commands = new DrillCommands(Plans, Time, Platform);
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Runs as a candidate's history is read: after a replica's claim, before its send.</summary>
    public Func<string, Task>? BeforeHistory { get; set; }

    public IDrillStore Store { get; }

    public IDeliveryLedger Ledger { get; }

    public DrillPlans Plans { get; }

    public DrillCommands Commands { get; }

    public RecordingDrillPlatform Platform { get; }

    public DrillOptions Options { get; } = new();

    /// <summary>Another replica: its own scheduler over the same store, ledger, clock and platform.</summary>
    public DrillScheduler Replica(IDrillPlatform? platform = null) => new(
        Plans,
        Store,
        new DrillQuestions(SampleQuestions.Bank()),
        Ledger,
        Microsoft.Extensions.Options.Options.Create(Options),
        Time,
        NullLogger<DrillScheduler>.Instance,
        platform ?? Platform);

    /// <summary>A completed interview <paramref name="ago"/> before now that scored the given dimensions.</summary>
    public void Interviewed(string candidateId, TimeSpan ago, params (string Dimension, double Score)[] dimensions) =>
        (_histories.TryGetValue(candidateId, out var entries) ? entries : _histories[candidateId] = []).Add(new HistoryEntry(
            Time.GetUtcNow() - ago,
            $"s-{entries?.Count ?? 0}",
            InterviewPlan.Theory,
            2.0,
            [],
            [],
            ["theory-attention-scaling"],
            [.. dimensions.Select(d => new DimensionAverage(d.Dimension, d.Score))]));

    public Task<string> RunAsync(string candidateId, string text) =>
        ChatCommand.ParseText(text) is ChatCommand.Drills drills
            ? Commands.RunAsync(new ChatRequest(candidateId, "e-1", 1), drills, "/mock", default)
            : throw new InvalidOperationException($"`{text}` is not a drills command.");

    /// <summary>Moves the clock in steps of a minute, letting every replica run a pass after each.</summary>
    public Task AdvanceAsync(TimeSpan by, params DrillScheduler[] replicas) => AdvanceAsync(by, TimeSpan.FromMinutes(1), replicas);

    public async Task AdvanceAsync(TimeSpan by, TimeSpan stepSize, params DrillScheduler[] replicas)
    {
        var until = Time.GetUtcNow() + by;
        while (Time.GetUtcNow() < until)
        {
            var step = until - Time.GetUtcNow() < stepSize ? until - Time.GetUtcNow() : stepSize;
            Time.Advance(step);
            await Task.WhenAll(replicas.Select(r => r.RunDueAsync(default)));
        }
    }
}

public sealed class RecordingDrillPlatform(TimeProvider time) : IDrillPlatform
{
    private readonly Lock _gate = new();
    private readonly List<(DrillMessage Message, DateTimeOffset At)> _sent = [];

    public IReadOnlyList<(DrillMessage Message, DateTimeOffset At)> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public Task SendAsync(DrillMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _sent.Add((message, time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    private readonly List<DrillFeedbackMessage> _feedback = [];

    public IReadOnlyList<DrillFeedbackMessage> Feedback
    {
        get
        {
            lock (_gate)
            {
                return [.. _feedback];
            }
        }
    }

    public Task SendFeedbackAsync(DrillFeedbackMessage feedback, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _feedback.Add(feedback);
        }

        return Task.CompletedTask;
    }
}
