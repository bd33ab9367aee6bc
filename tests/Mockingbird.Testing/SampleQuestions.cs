using Mockingbird.Interview.Questions;

namespace Mockingbird.Testing;

/// <summary>Small fixed questions for tests, one or more per stage, independent of the shipped bank's wording.</summary>
public static class SampleQuestions
{
    public static readonly Question Attention = new(
        "theory-attention-scaling",
        Stage.Theory,
        ["attention"],
        [Level.Mid, Level.Senior],
        [Track.Applied, Track.Research],
        "Why does scaled dot-product attention divide by the square root of the key dimension?",
        [
            new RubricPoint("Dot products grow in variance with the key dimension", ["variance", "grows with dimension", "larger magnitude"]),
            new RubricPoint("Large logits saturate the softmax into a near one-hot distribution", ["saturate", "one-hot", "peaky"]),
            new RubricPoint("A saturated softmax gives vanishing gradients that slow learning", ["vanishing gradient", "small gradient", "gradients vanish"]),
            new RubricPoint("Scaling keeps logits near unit variance regardless of head size", ["unit variance", "normalise", "normalize", "regardless of dimension"]),
        ],
        ["What changes if you learn a temperature instead?"],
        []);

    public static readonly Question KvCache = new(
        "theory-kv-cache",
        Stage.Theory,
        ["inference"],
        [Level.Senior, Level.Staff],
        [Track.Applied, Track.Mlops],
        "What is the KV cache and what does it cost?",
        [
            new RubricPoint("Stores past keys and values so each new token attends without recomputing them", ["reuse", "recompute", "past keys"]),
            new RubricPoint("Memory grows with sequence length, batch and layers", ["memory", "sequence length", "grows linearly"]),
            new RubricPoint("Paged or quantised caches cut the memory cost", ["paged attention", "quantise", "quantize"]),
        ],
        ["How would you size it for a 32k context?"],
        []);

    public static readonly Question Incident = new(
        "behavioral-production-incident",
        Stage.Behavioral,
        ["incidents"],
        [Level.Mid, Level.Senior, Level.Staff],
        [Track.Applied, Track.Mlops],
        "Tell me about a time a model you owned misbehaved in production.",
        [
            new RubricPoint("Explains how the problem was detected", ["alert", "detected", "noticed", "dashboard"]),
            new RubricPoint("Mitigates before hunting the root cause", ["rolled back", "rollback", "mitigate", "feature flag"]),
            new RubricPoint("Finds and states the root cause", ["root cause", "traced"]),
            new RubricPoint("Prevents a recurrence", ["prevent", "monitoring", "guardrail", "test"]),
        ],
        ["What would you do differently?", "How did you know the fix worked?"],
        []);

    public static readonly Question Disagreement = new(
        "behavioral-disagreement",
        Stage.Behavioral,
        ["disagreement"],
        [Level.Senior, Level.Staff],
        [Track.Applied, Track.Research],
        "Tell me about a disagreement with a product manager about a launch.",
        [
            new RubricPoint("States the disagreement and both positions fairly", ["disagreed", "their view", "position"]),
            new RubricPoint("Uses data to settle it", ["experiment", "data", "offline eval"]),
            new RubricPoint("Keeps the relationship", ["relationship", "trust", "aligned"]),
        ],
        ["What did you concede?"],
        []);

    public static readonly Question SupportAssistant = new(
        "design-support-assistant",
        Stage.Design,
        ["rag"],
        [Level.Senior, Level.Staff],
        [Track.Applied],
        "Design a customer-support assistant that answers from the company's help centre.",
        [
            new RubricPoint("Clarifies users, traffic and latency budget", ["latency budget", "requests per second", "how many users"], DesignDimension.Scoping),
            new RubricPoint("Chunks and indexes the help articles with metadata", ["chunk", "index", "metadata"], DesignDimension.Data),
            new RubricPoint("Retrieves with hybrid search and reranks before generation", ["hybrid search", "rerank", "bm25"], DesignDimension.Modelling),
            new RubricPoint("Streams answers and caches frequent questions", ["stream", "semantic cache", "cache"], DesignDimension.Serving),
            new RubricPoint("Evaluates groundedness offline and tracks resolution online", ["groundedness", "golden set", "resolution rate"], DesignDimension.EvaluationMonitoring),
            new RubricPoint("Weighs a large model against a smaller fine-tuned one", ["smaller model", "fine-tuned", "trade-off"], DesignDimension.TradeOffs),
            new RubricPoint("Estimates cost per conversation", ["cost per conversation", "per token", "budget"], DesignDimension.Cost),
        ],
        ["How do you stop it answering from an outdated article?", "What happens when retrieval finds nothing?"],
        [DesignDimension.Scoping, DesignDimension.Data, DesignDimension.Modelling, DesignDimension.Serving, DesignDimension.EvaluationMonitoring, DesignDimension.TradeOffs, DesignDimension.Cost]);

    public static readonly Question AskEvaluation = new(
        "ask-evaluation",
        Stage.QuestionsToAsk,
        ["evaluation"],
        [Level.Mid, Level.Senior, Level.Staff],
        [Track.Applied, Track.Research, Track.Mlops],
        "We have a few minutes left. What would you like to ask me about how this team measures quality?",
        [
            new RubricPoint("Asks how offline evaluation relates to online metrics", ["offline", "online metric", "a/b"]),
            new RubricPoint("Asks who owns the eval set and how it stays fresh", ["eval set", "golden set", "refresh"]),
            new RubricPoint("Asks about a recent regression and how it was caught", ["regression", "caught", "incident"]),
        ],
        ["What would you do with the answer?"],
        [],
        "Cares about how quality is measured, not only what is built.");

    public static readonly Question Softmax = new(
        "coding-stable-softmax",
        Stage.MlCoding,
        ["numerics"],
        [Level.Mid, Level.Senior],
        [Track.Applied, Track.Research],
        "Implement a numerically stable softmax.",
        [
            new RubricPoint("Subtracts the max before exponentiating", ["subtract the max", "max", "shift"]),
            new RubricPoint("Explains overflow of exp on large inputs", ["overflow", "inf", "large inputs"]),
            new RubricPoint("Handles the axis and batch dimension", ["axis", "batch", "keepdims"]),
        ],
        ["How would you compute log-softmax?"],
        []);

    public static QuestionBank Bank() => new([Incident, Disagreement, Attention, KvCache, SupportAssistant, AskEvaluation, Softmax]);
}
