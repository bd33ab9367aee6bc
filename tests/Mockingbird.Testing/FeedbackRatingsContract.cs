using Mockingbird.Chat.Ratings;
using Xunit;

namespace Mockingbird.Testing;

/// <summary>What every <see cref="IFeedbackRatings"/> must do; the in-memory and Redis stores both run it.</summary>
public abstract class FeedbackRatingsContract : IAsyncLifetime
{
    protected IFeedbackRatings Ratings { get; private set; } = null!;

    public async Task InitializeAsync() => Ratings = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected abstract Task<IFeedbackRatings> CreateAsync();

    [Fact]
    public async Task Nothing_rated_gives_an_empty_summary() => Assert.Empty(await Ratings.SummaryAsync(default));

    [Fact]
    public async Task Ratings_are_counted_per_arm()
    {
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("ann", "m1", "judge-design@v1", Helpful: true), default));
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("bob", "m1", "judge-design@v1", Helpful: false), default));
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("ann", "m2", "judge-design@v1", Helpful: true), default));
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("ann", "m3", "offline-rubric", Helpful: false), default));

        Assert.Equal(
            [new ArmRatings("judge-design@v1", 2, 1), new ArmRatings("offline-rubric", 0, 1)],
            await Ratings.SummaryAsync(default));
    }

    [Fact]
    public async Task The_same_rating_clicked_twice_counts_once()
    {
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("ann", "m1", "exp-1/v2", Helpful: true), default));
        Assert.False(await Ratings.RecordAsync(new FeedbackRating("ann", "m1", "exp-1/v2", Helpful: true), default));

        Assert.Equal([new ArmRatings("exp-1/v2", 1, 0)], await Ratings.SummaryAsync(default));
    }

    [Fact]
    public async Task A_changed_mind_moves_the_vote_instead_of_adding_one()
    {
        await Ratings.RecordAsync(new FeedbackRating("ann", "m1", "exp-1/v2", Helpful: true), default);
        Assert.True(await Ratings.RecordAsync(new FeedbackRating("ann", "m1", "exp-1/v2", Helpful: false), default));

        Assert.Equal([new ArmRatings("exp-1/v2", 0, 1)], await Ratings.SummaryAsync(default));
    }
}
