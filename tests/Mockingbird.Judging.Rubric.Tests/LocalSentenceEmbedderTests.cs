using Mockingbird.Judging.Embeddings;

namespace Mockingbird.Judging.Rubric.Tests;

/// <summary>The in-process model as its callers see it when they stop.</summary>
public sealed class LocalSentenceEmbedderTests
{
    /// <remarks>The runtime reports a cancelled run as an error of its own; a judging worker stopping mid-answer took it for a failed job and spent one of its attempts.</remarks>
    [Fact]
    public void A_cancelled_embedding_ends_as_cancelled_rather_than_as_a_model_error()
    {
        using var model = LocalSentenceEmbedder.MiniLm();
        Assert.True(model.Warm());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        var thrown = Record.Exception(() => model.TryEmbed(["Scaling keeps the logits near unit variance, because the softmax saturates otherwise."], cancelled.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(thrown);
    }
}
