using Mockingbird.Interview.Judging;
using Mockingbird.Testing;

namespace Mockingbird.Sessions.Tests;

public sealed class InMemoryFeedbackRatingsTests : FeedbackRatingsContract
{
    protected override Task<IFeedbackRatings> CreateAsync() => Task.FromResult<IFeedbackRatings>(new InMemoryFeedbackRatings());
}
