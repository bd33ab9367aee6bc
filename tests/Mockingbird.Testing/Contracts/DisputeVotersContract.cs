using Mockingbird.Disputes;
using Xunit;

namespace Mockingbird.Testing.Contracts;

/// <summary>
/// The behaviour every keeper of dispute voters' opt-ins must have; the in-memory and the Redis ones (single server
/// and cluster) run it.
/// </summary>
public abstract class DisputeVotersContract : IAsyncLifetime
{
    private const string Here = SampleDisputes.Place;

    private const string Elsewhere = SampleDisputes.Elsewhere;

    protected IDisputeVoters Voters { get; private set; } = null!;

    public async Task InitializeAsync() => Voters = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A fresh keeper with nobody opted in.</summary>
    protected abstract Task<IDisputeVoters> CreateAsync();

    /// <summary>The same opt-ins as another replica sees them; a keeper in one process has no other.</summary>
    protected virtual Task<IDisputeVoters> AnotherReplicaAsync() => Task.FromResult(Voters);

    [Fact]
    public async Task Nobody_is_opted_in_until_they_opt_in_and_opting_in_again_changes_nothing()
    {
        Assert.False(await Voters.IsOptedInAsync("voter-1", Here, default));

        Assert.True(await Voters.SetOptedInAsync("voter-1", Here, true, default));
        Assert.False(await Voters.SetOptedInAsync("voter-1", Here, true, default));

        Assert.True(await Voters.IsOptedInAsync("voter-1", Here, default));
        Assert.False(await Voters.IsOptedInAsync("voter-2", Here, default));
    }

    [Fact]
    public async Task Opting_out_removes_only_that_person_and_says_whether_it_changed_anything()
    {
        await Voters.SetOptedInAsync("voter-1", Here, true, default);
        await Voters.SetOptedInAsync("voter-2", Here, true, default);

        Assert.True(await Voters.SetOptedInAsync("voter-1", Here, false, default));
        Assert.False(await Voters.SetOptedInAsync("voter-1", Here, false, default));
        Assert.False(await Voters.SetOptedInAsync("never-opted-in", Here, false, default));

        Assert.False(await Voters.IsOptedInAsync("voter-1", Here, default));
        Assert.True(await Voters.IsOptedInAsync("voter-2", Here, default));
    }

    [Fact]
    public async Task An_opt_in_made_on_one_replica_counts_on_another_and_so_does_an_opt_out()
    {
        var other = await AnotherReplicaAsync();

        await Voters.SetOptedInAsync("voter-1", Here, true, default);
        Assert.True(await other.IsOptedInAsync("voter-1", Here, default));

        await other.SetOptedInAsync("voter-1", Here, false, default);
        Assert.False(await Voters.IsOptedInAsync("voter-1", Here, default));
    }

    [Fact]
    public async Task An_opt_in_holds_only_in_the_place_it_was_made_and_each_place_is_opted_out_of_alone()
    {
        await Voters.SetOptedInAsync("voter-1", Here, true, default);

        Assert.False(await Voters.IsOptedInAsync("voter-1", Elsewhere, default));

        Assert.True(await Voters.SetOptedInAsync("voter-1", Elsewhere, true, default));
        Assert.True(await Voters.SetOptedInAsync("voter-1", Here, false, default));

        Assert.False(await Voters.IsOptedInAsync("voter-1", Here, default));
        Assert.True(await Voters.IsOptedInAsync("voter-1", Elsewhere, default));
    }

    [Fact]
    public async Task Forgetting_a_person_takes_their_opt_ins_in_every_place_and_leaves_others()
    {
        await Voters.SetOptedInAsync("voter-1", Here, true, default);
        await Voters.SetOptedInAsync("voter-1", Elsewhere, true, default);
        await Voters.SetOptedInAsync("voter-2", Here, true, default);

        Assert.Equal(2, await Voters.ForgetAsync("voter-1", default));
        Assert.Equal(0, await Voters.ForgetAsync("voter-1", default));

        Assert.False(await Voters.IsOptedInAsync("voter-1", Here, default));
        Assert.False(await Voters.IsOptedInAsync("voter-1", Elsewhere, default));
        Assert.True(await Voters.IsOptedInAsync("voter-2", Here, default));
    }
}
