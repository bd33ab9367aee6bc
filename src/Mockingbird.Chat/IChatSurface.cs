using Mockingbird.Interview.Questions;
using Mockingbird.Interview.Sessions;

namespace Mockingbird.Chat;

/// <summary>An image for the candidate: PNG bytes, the file name it is uploaded under, and what it shows in words.</summary>
/// <param name="AltText">For screen readers and for anyone whose client does not show images.</param>
public sealed record ChatImage(string FileName, ReadOnlyMemory<byte> Png, string Title, string AltText);

/// <summary>
/// What a chat platform does for one candidate's request: open a thread where they asked, post there, and say
/// where a thread is. A platform adapter makes one per inbound event, holding that event's channel and user.
/// </summary>
public interface IChatSurface
{
    /// <summary>Opens a thread for the candidate's interview beside where they asked; returns its address.</summary>
    Task<string> OpenThreadAsync(InterviewPlan? plan, CancellationToken cancellationToken);

    /// <summary>Posts actions in a thread; a repeat of the same <paramref name="deliveryKey"/> must not post twice.</summary>
    Task PostAsync(string thread, IReadOnlyList<InterviewAction> actions, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the message being handled as a taken answer (a reaction on it). Unlike a message posted after it, a
    /// reaction cannot end up below the feedback that the judging queue posts moments later.
    /// </summary>
    Task MarkAnswerTakenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks the message being handled as an answer that could not be saved and tells its author, without the
    /// session store (which is what failed): privately where the platform can.
    /// </summary>
    Task WarnNotSavedAsync(string thread, string notice, CancellationToken cancellationToken);

    /// <summary>Shows an answer sent through a form, which the thread would not otherwise show.</summary>
    Task EchoAnswerAsync(string thread, string answer, string deliveryKey, CancellationToken cancellationToken);

    /// <summary>
    /// Shows an image to the requester alone (an ephemeral message, a direct message), never where others can see
    /// it. A platform may show it just after the reply. Returns a sentence for the reply saying where the image is
    /// or why it could not be shown, or null when it shows beside the reply and nothing needs saying.
    /// </summary>
    Task<string?> ShowImageAsync(ChatImage image, CancellationToken cancellationToken);

    /// <summary>A reference to the thread the candidate can click.</summary>
    string Link(string thread);

    /// <summary>A candidate's own text inside a reply, shown exactly as they wrote it and unable to mention anyone.</summary>
    string Quote(string text);

    /// <summary>Actions as reply text, for when no thread can take them.</summary>
    string Render(IReadOnlyList<InterviewAction> actions);
}
