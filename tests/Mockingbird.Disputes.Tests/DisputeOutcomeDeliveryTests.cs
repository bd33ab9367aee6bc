using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Chat;
using Mockingbird.Chat.Stores;
using Mockingbird.Chat.Threads;
using Mockingbird.Testing;

namespace Mockingbird.Disputes.Tests;

/// <summary>
/// How candidates hear how their disputes ended: by direct message, claimed so each outcome goes once across
/// replicas, kept untold while the message fails, and in their own <c>disputes</c> list; and how long a record names them.
/// </summary>
public sealed class DisputeOutcomeDeliveryTests
{
    private static readonly DisputeOptions Settings = new();

    private readonly FakeTimeProvider _clock = new(SampleDisputes.Start);
    private readonly InMemoryDisputeStore _store = new();
    private readonly InMemoryDisputeVoters _voters = new();
    private readonly Messenger _messenger = new();
    private readonly DisputeDesk _desk;

    public DisputeOutcomeDeliveryTests() =>
        _desk = new DisputeDesk(_store, _voters, Options.Create(Settings), _clock, NullLogger<DisputeDesk>.Instance);

    private DisputeOutcomeDelivery Replica(IDisputeMessenger? messenger = null) =>
        new(_store, Options.Create(Settings), _clock, NullLogger<DisputeOutcomeDelivery>.Instance, messenger ?? _messenger);

    private DisputeCommands Commands(DisputeOutcomeDelivery? delivery = null)
    {
        var sessions = Options.Create(new SessionStoreOptions());
        return new DisputeCommands(_desk, _voters, new InMemorySessionStore(sessions, _clock), new InMemoryInterviewThreads(sessions, _clock), SampleQuestions.Bank(), delivery);
    }

    private async Task<string> OpenAsync(string candidate = "cand-1", string feedbackId = "f-1", int judgeScore = 2)
    {
        var filing = await _desk.DisputeAsync(SampleDisputes.Request(candidate, feedbackId, judgeScore: judgeScore), default);
        Assert.True(filing.OpenedNow, filing.Problem);
        return filing.Outcome!.DisputeId;
    }

    private async Task<DisputeVoteCast> VoteThreeAsync(string disputeId, DisputeCommands commands, int score = 4)
    {
        DisputeVoteCast last = null!;
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
        {
            await _voters.SetOptedInAsync(voter, SampleDisputes.Place, true, default);
            last = await commands.VoteAsync(voter, SampleDisputes.Place, disputeId, score, default);
        }

        return last;
    }

    [Fact]
    public async Task The_settling_vote_tells_the_candidate_once_and_the_record_then_names_nobody()
    {
        var id = await OpenAsync();

        var cast = await VoteThreeAsync(id, Commands(Replica()));

        Assert.Contains("settled this dispute", cast.Reply, StringComparison.Ordinal);
        var told = Assert.Single(_messenger.Sent);
        Assert.Equal(("cand-1", id), (told.CandidateId, told.DisputeId));
        Assert.Equal("Your dispute on coverage is upheld: the judge gave 2, your peers' blind vote gave 4.", told.Text);
        var kept = (await _store.FindAsync(id, default))!;
        Assert.False(kept.Dispute.NamesSomeone);
        Assert.Equal(string.Empty, kept.Dispute.Reason);
        Assert.Equal([4, 4, 4], Assert.Single(await _store.SettledAsync(default)).PeerScores);
        Assert.Equal(0, await Replica().RunDueAsync(default));
        Assert.Single(_messenger.Sent);
    }

    [Fact]
    public async Task A_failed_direct_message_keeps_the_outcome_untold_and_two_replicas_passes_later_send_it_exactly_once()
    {
        var id = await OpenAsync();
        _messenger.FailNext = 1;

        await VoteThreeAsync(id, Commands(Replica()));

        Assert.Empty(_messenger.Sent);
        Assert.True((await _store.FindAsync(id, default))!.Dispute.NamesSomeone);

        // The failed message gave its claim back, so the next passes try again at once.
        var passes = await Task.WhenAll(Replica().RunDueAsync(default), Replica().RunDueAsync(default));

        Assert.Equal(1, passes.Sum());
        Assert.Equal(id, Assert.Single(_messenger.Sent).DisputeId);
        _clock.Advance(Settings.RetryEvery);
        Assert.Equal(0, await Replica().RunDueAsync(default));
        Assert.Single(_messenger.Sent);
    }

    [Fact]
    public async Task A_dispute_nobody_settles_within_the_window_is_closed_as_expired_told_once_and_deleted()
    {
        var id = await OpenAsync();
        await _voters.SetOptedInAsync("voter-1", SampleDisputes.Place, true, default);
        await _desk.VoteAsync("voter-1", SampleDisputes.Place, id, 3, default);

        _clock.Advance(Settings.Window - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await Replica().RunDueAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Replica().RunDueAsync(default));

        Assert.Equal("Your dispute on coverage expired before enough peers voted; the judge's score stands.", Assert.Single(_messenger.Sent).Text);
        Assert.Null(await _store.FindAsync(id, default));
    }

    [Fact]
    public async Task An_outcome_that_cannot_be_told_within_TellFor_is_given_up_and_the_record_stops_naming_the_candidate()
    {
        var id = await OpenAsync();
        _messenger.FailNext = int.MaxValue;
        await VoteThreeAsync(id, Commands(Replica()));

        _clock.Advance(Settings.TellFor);
        Assert.Equal(0, await Replica().RunDueAsync(default));

        Assert.False((await _store.FindAsync(id, default))!.Dispute.NamesSomeone);
        Assert.Empty(await _store.RaisedByAsync("cand-1", default));
        Assert.Single(await _store.SettledAsync(default));
    }

    [Fact]
    public async Task Disputes_alone_lists_the_askers_own_disputes_with_their_state_tells_an_untold_outcome_once_and_never_names_a_voter()
    {
        var open = await OpenAsync("cand-1", "f-1");
        var settled = await OpenAsync("cand-1", "f-2", judgeScore: 3);
        await OpenAsync("cand-2", "f-3");
        _messenger.FailNext = 1;
        var commands = Commands(Replica());
        await _voters.SetOptedInAsync("voter-9", SampleDisputes.Place, true, default);
        await commands.VoteAsync("voter-9", SampleDisputes.Place, open, 2, default);
        await VoteThreeAsync(settled, commands, score: 3);
        Assert.Empty(_messenger.Sent);

        var listed = await commands.RunAsync(new ChatRequest("cand-1", "e-1", 1), new ChatCommand.Disputes(null), "/mock", default);

        Assert.Contains("Your disputes:\n- Your dispute on coverage is waiting for votes (1 of 3).\n- The judge's score on coverage stands: the judge gave 3, your peers' blind vote gave 3.", listed, StringComparison.Ordinal);
        Assert.Contains("`/mock disputes on`", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("voter", listed, StringComparison.Ordinal);
        Assert.DoesNotContain("f-3", listed, StringComparison.Ordinal);

        // Told in the list, so no message follows, and the next list shows the open one only.
        _clock.Advance(Settings.RetryEvery);
        Assert.Equal(0, await Replica().RunDueAsync(default));
        Assert.Empty(_messenger.Sent);
        var again = await commands.RunAsync(new ChatRequest("cand-1", "e-2", 2), new ChatCommand.Disputes(null), "/mock", default);
        Assert.Contains("waiting for votes (1 of 3)", again, StringComparison.Ordinal);
        Assert.DoesNotContain("stands", again, StringComparison.Ordinal);
        Assert.Null(await commands.UntoldAsync("cand-1", default));
        var someoneElses = await commands.RunAsync(new ChatRequest("cand-2", "e-3", 3), new ChatCommand.Disputes(null), "/mock", default);
        Assert.Contains("waiting for votes (0 of 3)", someoneElses, StringComparison.Ordinal);
        Assert.DoesNotContain("(1 of 3)", someoneElses, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outcome_another_replica_is_sending_is_left_out_of_the_list_so_the_candidate_is_told_once()
    {
        var id = await OpenAsync();
        foreach (var voter in new[] { "voter-1", "voter-2", "voter-3" })
        {
            await _voters.SetOptedInAsync(voter, SampleDisputes.Place, true, default);
            await _desk.VoteAsync(voter, SampleDisputes.Place, id, 4, default);
        }

        var slow = new HeldMessenger();
        var sending = Replica(slow).RunDueAsync(default);
        // The in-memory store answers at once, so the pass is already waiting on the platform.
        Assert.True(slow.Started.IsCompleted);

        var listed = await Commands().RunAsync(new ChatRequest("cand-1", "e-1", 1), new ChatCommand.Disputes(null), "/mock", default);
        var untold = await Commands().UntoldAsync("cand-1", default);
        slow.Deliver();
        Assert.Equal(1, await sending);

        var tellings = slow.Sent.Count
            + (listed.Contains("upheld", StringComparison.Ordinal) ? 1 : 0)
            + (untold?.Contains("upheld", StringComparison.Ordinal) == true ? 1 : 0);
        Assert.Equal(1, tellings);
        Assert.Equal(id, Assert.Single(slow.Sent).DisputeId);
        Assert.False((await _store.FindAsync(id, default))!.Dispute.NamesSomeone);
    }

    [Fact]
    public async Task An_expired_dispute_listed_before_any_pass_closed_it_is_told_by_the_list_and_no_message_follows()
    {
        var id = await OpenAsync();
        _clock.Advance(Settings.Window);

        var listed = await Commands(Replica()).RunAsync(new ChatRequest("cand-1", "e-1", 1), new ChatCommand.Disputes(null), "/mock", default);

        Assert.Contains("- Your dispute on coverage expired before enough peers voted", listed, StringComparison.Ordinal);
        Assert.Equal(0, await Replica().RunDueAsync(default));
        Assert.Empty(_messenger.Sent);
        Assert.Null(await _store.FindAsync(id, default));
    }

    [Fact]
    public async Task An_untold_outcome_rides_on_the_candidates_next_command_once()
    {
        var id = await OpenAsync();
        _messenger.FailNext = 1;
        var commands = Commands(Replica());
        await VoteThreeAsync(id, commands);

        Assert.Equal("Your dispute on coverage is upheld: the judge gave 2, your peers' blind vote gave 4.", await commands.UntoldAsync("cand-1", default));
        Assert.Null(await commands.UntoldAsync("cand-1", default));
        Assert.Null(await commands.UntoldAsync("voter-1", default));
    }

    [Fact]
    public async Task A_vote_whose_dispute_was_just_forgotten_is_answered_and_nothing_is_sent()
    {
        var id = await OpenAsync();
        var commands = Commands(Replica());
        foreach (var voter in new[] { "voter-1", "voter-2" })
        {
            await _voters.SetOptedInAsync(voter, SampleDisputes.Place, true, default);
            await commands.VoteAsync(voter, SampleDisputes.Place, id, 3, default);
        }

        await new DisputeMemory(_store, _voters).ForgetAsync("cand-1", default);
        await _voters.SetOptedInAsync("voter-3", SampleDisputes.Place, true, default);
        var cast = await commands.VoteAsync("voter-3", SampleDisputes.Place, id, 3, default);

        Assert.Equal("There is no such dispute any more.", cast.Reply);
        Assert.Empty(_messenger.Sent);
        Assert.Equal(0, await Replica().RunDueAsync(default));
    }

    [Theory]
    [InlineData(nameof(DisputeOptions.TellFor), "12:00:00")]
    [InlineData(nameof(DisputeOptions.TellFor), "120.00:00:00")]
    [InlineData(nameof(DisputeOptions.RetryEvery), "00:00:10")]
    public void Retention_and_retry_settings_out_of_range_are_refused_naming_the_setting(string setting, string value)
    {
        var options = new DisputeOptions();
        typeof(DisputeOptions).GetProperty(setting)!.SetValue(options, TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains($"Disputes:{setting}", Assert.Single(results).ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>A direct message the platform takes only when the test says so, as a slow send on another replica.</summary>
    private sealed class HeldMessenger : IDisputeMessenger
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _delivered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Started => _started.Task;

        public List<DisputeOutcomeMessage> Sent { get; } = [];

        public void Deliver() => _delivered.TrySetResult();

        public async Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await _delivered.Task.WaitAsync(cancellationToken);
            Sent.Add(message);
        }
    }

    private sealed class Messenger : IDisputeMessenger
    {
        private readonly Lock _gate = new();

        public List<DisputeOutcomeMessage> Sent { get; } = [];

        public int FailNext { get; set; }

        public Task SendAsync(DisputeOutcomeMessage message, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                if (FailNext > 0)
                {
                    FailNext--;
                    throw new HttpRequestException("direct messages closed");
                }

                Sent.Add(message);
                return Task.CompletedTask;
            }
        }
    }
}
