using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Mockingbird.Disputes;
using Mockingbird.Evaluation;
using Mockingbird.Experiments;
using Mockingbird.Testing;
using Moq;
using StackExchange.Redis;

namespace Mockingbird.Sessions.Redis.Tests;

/// <summary>
/// The whole contestable-score path at the port the chat layer calls, on the real Redis store with two replicas:
/// a dispute, three blind votes, a settled case, the judge's agreement per prompt version, and the baseline gate.
/// </summary>
[Collection(nameof(RedisCollection))]
public sealed class RedisDisputePathTests(RedisFixture fixture) : IAsyncLifetime
{
    private readonly string _prefix = RedisFixture.UniquePrefix();
    private readonly FakeTimeProvider _clock = new(SampleDisputes.Start);
    private readonly InMemoryDisputeVoters _voters = new();
    private readonly List<ConnectionMultiplexer> _connections = [];
    private readonly List<DisputeDesk> _replicas = [];

    public async Task InitializeAsync()
    {
        for (var replica = 0; replica < 2; replica++)
        {
            var redis = await RedisFixture.ConnectAsync(fixture.Server);
            _connections.Add(redis);
            var store = new RedisDisputeStore(redis, Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));
            _replicas.Add(new DisputeDesk(store, _voters, Options.Create(new DisputeOptions()), _clock, NullLogger<DisputeDesk>.Instance));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private RedisDisputeStore Store(int replica = 0) =>
        new(_connections[replica], Options.Create(new RedisOptions { Configuration = "unused", KeyPrefix = _prefix }));

    [Fact]
    public async Task A_dispute_settled_by_three_blind_votes_feeds_the_agreement_per_prompt_version_and_the_gate_refuses_that_low_agreement_baseline()
    {
        string[] voters = ["voter-1", "voter-2", "voter-3"];
        foreach (var voter in voters)
            await _replicas[0].SetVotingAsync(voter, SampleDisputes.Place, true, default);

        var notices = new List<SettledNotice>();
        foreach (var (candidate, feedback) in new[] { ("cand-1", "f-1"), ("cand-2", "f-2") })
        {
            var filing = await _replicas[0].DisputeAsync(SampleDisputes.Request(candidate, feedback, judgeScore: 1), default);
            Assert.True(filing.OpenedNow, filing.Problem);
            _clock.Advance(TimeSpan.FromMinutes(1));

            for (var i = 0; i < voters.Length; i++)
            {
                // Voters land on either replica, as button presses do.
                var desk = _replicas[i % 2];
                var offer = await desk.NextBallotAsync(voters[i], SampleDisputes.Place, default);
                var shown = JsonSerializer.Serialize(offer.Case);
                Assert.Equal(filing.Outcome!.DisputeId, offer.Case!.DisputeId);
                Assert.DoesNotContain(candidate, shown, StringComparison.Ordinal);
                Assert.DoesNotContain("judge-theory", shown, StringComparison.Ordinal);
                Assert.DoesNotContain("score", shown, StringComparison.OrdinalIgnoreCase);

                var result = await desk.VoteAsync(voters[i], SampleDisputes.Place, offer.Case.DisputeId, 4, default);
                if (result.Settled is { } notice)
                    notices.Add(notice);
            }
        }

        Assert.Equal(["cand-1", "cand-2"], notices.Select(n => n.CandidateId));
        Assert.All(notices, n => Assert.Equal(DisputeState.Upheld, n.Outcome.State));

        var settled = await Store(1).SettledAsync(default);
        var report = SettledEvalReport.Of(settled);
        Assert.Equal([new JudgeAgreement("judge-theory/v1", 2, 0.0, 3.0)], report.Recorded);

        var design = new ExperimentDesign(
            "judge-theory-trial", "judge-theory", "v1", [new ExperimentArm("v1", 50), new ExperimentArm("v2", 50)], PrimaryMetric.HelpfulShare, 0.1, 0.05, new Guardrails(),
            BaselineAgreement: new BaselineAgreementRequirement(0.7, 2));
        var check = new BaselineAgreementCheck(new Catalog(design), Store(), _clock, Mock.Of<IHostApplicationLifetime>(), NullLogger<BaselineAgreementCheck>.Instance);
        var refused = await Assert.ThrowsAsync<BaselineRefusedException>(() => check.StartAsync(default));
        Assert.Equal(
            "Experiment 'judge-theory-trial' cannot have judge-theory/v1 as its baseline: it agrees with the peers on 0% of 2 settled disputes, below minimum_baseline_agreement (70%). Choose another baseline or lower the threshold in experiments.yaml.",
            refused.Message);
    }

    private sealed class Catalog(params ExperimentDesign[] designs) : IExperimentCatalog
    {
        public IReadOnlyList<ExperimentDesign> Designs => designs;
    }
}
