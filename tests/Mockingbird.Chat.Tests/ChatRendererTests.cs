using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Scoring;

namespace Mockingbird.Chat.Tests;

public sealed class ChatRendererTests
{
    [Theory]
    [InlineData(0, "3 answered, 1 skipped")]
    [InlineData(2, "3 answered, 1 skipped, 2 not reached")]
    public void A_stage_names_the_questions_it_did_not_reach_only_when_there_are_some(int unasked, string counts)
    {
        Assert.Equal(counts, ChatRenderer.StageCounts(new StageResult(Stage.Theory, 2.5, 3, 0, 1, unasked, null, null)));
    }
}
