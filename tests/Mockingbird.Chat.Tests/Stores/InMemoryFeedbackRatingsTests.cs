using Mockingbird.Chat.Ratings;
using Mockingbird.Testing;

namespace Mockingbird.Chat.Tests.Stores;

public sealed class InMemoryFeedbackRatingsTests : FeedbackRatingsContract
{
    protected override Task<IFeedbackRatings> CreateAsync() => Task.FromResult<IFeedbackRatings>(new InMemoryFeedbackRatings());
}
