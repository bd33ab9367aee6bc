using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat.Tests;

/// <summary>A chat surface that keeps what was done on it, in order, and can be made to fail where a platform can.</summary>
internal sealed class RecordingSurface : IChatSurface
{
    private int _threadsOpened;

    public List<(string Thread, IReadOnlyList<InterviewAction> Actions, string DeliveryKey)> Posts { get; } = [];

    public List<(string Thread, string Answer, string DeliveryKey)> Echoes { get; } = [];

    public List<(string Thread, string Notice)> Warnings { get; } = [];

    public List<InterviewPlan?> ThreadsOpened { get; } = [];

    public int AnswersMarkedTaken { get; private set; }

    public List<ChatImage> Images { get; } = [];

    /// <summary>What showing an image says in the reply; null says nothing, as a platform that shows it beside the reply.</summary>
    public string? ImageNote { get; set; }

    /// <summary>Runs as an answer is echoed, so a test can look at the store at that moment.</summary>
    public Func<Task>? OnEcho { get; set; }

    public bool FailEcho { get; set; }

    public bool FailMark { get; set; }

    public Task<string> OpenThreadAsync(InterviewPlan? plan, CancellationToken cancellationToken)
    {
        ThreadsOpened.Add(plan);
        return Task.FromResult($"thread-{++_threadsOpened}");
    }

    public Task PostAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken)
    {
        Posts.Add((thread, actions, deliveryKey));
        return Task.CompletedTask;
    }

    public Task<string?> ShowImageAsync(ChatImage image, CancellationToken cancellationToken)
    {
        Images.Add(image);
        return Task.FromResult(ImageNote);
    }

    public Task MarkAnswerTakenAsync(CancellationToken cancellationToken)
    {
        if (FailMark)
        {
            throw new HttpRequestException("Missing Permissions");
        }

        AnswersMarkedTaken++;
        return Task.CompletedTask;
    }

    public Task WarnNotSavedAsync(string thread, string notice, CancellationToken cancellationToken)
    {
        Warnings.Add((thread, notice));
        return Task.CompletedTask;
    }

    public async Task EchoAnswerAsync(string thread, string answer, string deliveryKey, CancellationToken cancellationToken)
    {
        if (OnEcho is { } onEcho)
        {
            await onEcho();
        }

        if (FailEcho)
        {
            throw new HttpRequestException("Unknown Channel");
        }

        Echoes.Add((thread, answer, deliveryKey));
    }

    public string Link(string thread) => $"<{thread}>";

    public string Quote(string text) => $"«{text}»";

    public string Render(IReadOnlyList<InterviewAction> actions) => $"rendered {actions.Count} action(s)";
}
