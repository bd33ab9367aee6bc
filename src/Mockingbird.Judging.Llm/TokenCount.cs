using Microsoft.SemanticKernel;
using ChatTokenUsage = OpenAI.Chat.ChatTokenUsage;

namespace Mockingbird.Judging.Llm;

/// <summary>Tokens spent by the LLM calls for one piece of text: prompt, of which cached, and completion.</summary>
public readonly record struct TokenCount(int Prompt, int Cached, int Completion)
{
    /// <summary>What one reply says it used; nothing when the provider reports no usage.</summary>
    public static TokenCount Of(ChatMessageContent reply) =>
        reply?.Metadata?.GetValueOrDefault("Usage") is ChatTokenUsage usage
            ? new TokenCount(usage.InputTokenCount, usage.InputTokenDetails?.CachedTokenCount ?? 0, usage.OutputTokenCount)
            : default;

    public static TokenCount operator +(TokenCount left, TokenCount right) =>
        new(left.Prompt + right.Prompt, left.Cached + right.Cached, left.Completion + right.Completion);

    public TokenCount Add(TokenCount other) => this + other;
}
