namespace Mockingbird.Questions.Tests;

/// <summary>A throwaway bank directory for one test, removed afterwards.</summary>
internal sealed class BankDirectory : IDisposable
{
    public BankDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bank-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public BankDirectory With(string fileName, string yaml)
    {
        File.WriteAllText(System.IO.Path.Combine(Path, fileName), yaml);
        return this;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public const string ValidTheory = """
        questions:
          - id: theory-one
            stage: theory
            topics: [attention]
            levels: [mid, senior]
            tracks: [applied]
            prompt: Why scale attention logits?
            rubric:
              - point: Variance grows with dimension
                evidence: [variance, grows with dimension]
              - point: Softmax saturates
                evidence: [saturate, one-hot]
              - point: Gradients vanish
                evidence: [vanishing gradient, small gradients]
            follow_ups:
              - What about a learned temperature?
        """;

    public const string ValidDesign = """
        questions:
          - id: design-one
            stage: design
            topics: [rag]
            levels: [senior]
            tracks: [applied]
            prompt: Design a support assistant.
            dimensions: [scoping, data, cost]
            rubric:
              - point: Clarifies scale
                evidence: [requests per second, users]
                dimension: scoping
              - point: Indexes articles
                evidence: [chunk, index]
                dimension: data
              - point: Costs a conversation
                evidence: [cost per conversation, budget]
                dimension: cost
            follow_ups:
              - What if retrieval finds nothing?
        """;
}
